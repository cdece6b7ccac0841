#!/usr/bin/env bash
# bench_migrate_runs.sh PARCAE: bench migrate moves the tiny model's first
# stage of two: the embedding and two blocks, 16 384 + 4 096 + 2 x 49 984
# parameters, three float buffers each = 1 445 376 bytes, and reports both
# timings and their ratio.
set -euo pipefail
out=$("${MPIRUN:-mpirun}" -np 3 --oversubscribe "$1" bench migrate --models tiny --repeats 2 --json)
printf '%s\n' "$out" | python3 -c '
import json, sys
(row,) = json.load(sys.stdin)["migrate"]
assert row["model"] == "tiny" and row["layers"] == 3, row
assert row["bytes"] == 3 * 4 * (16384 + 4096 + 2 * 49984), row
assert row["migrate_ms"] > 0 and row["send_ms"] > 0, row
assert abs(row["ratio_to_send"] - row["send_ms"] / row["migrate_ms"]) < 1e-9, row
print("tiny stage:", row["bytes"], "bytes, ratio to send", round(row["ratio_to_send"], 2))'
