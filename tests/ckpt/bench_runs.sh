#!/usr/bin/env bash
# bench_runs.sh PARCAE: bench ckpt checkpoints the tiny model (6 layers: 16 384
# + 4 096 + 4 x 49 984 + 128 + 32 768 parameters... as layer_sizes says, three
# float buffers each), reports every figure, and its ratios are the ratios of
# its own timings.
set -euo pipefail
out=$("$1" bench ckpt --models tiny --repeats 2 --json)
printf '%s\n' "$out" | python3 -c '
import json, sys
(row,) = json.load(sys.stdin)["ckpt"]
assert row["model"] == "tiny" and row["shards"] == 6, row
assert row["bytes"] % 12 == 0 and row["file_bytes"] > row["bytes"], row
for k in ("plain_write_mb_s", "write_mb_s", "plain_read_mb_s", "read_mb_s", "checksum_gb_s",
          "sync_write_s"):
    assert row[k] > 0, (k, row)
assert row["stall_s"] >= 0 and row["first_stall_s"] >= 0, row
# The slowdown is a step with a checkpoint minus one without: near 0 for tiny,
# either sign within the noise, never longer than the synchronous write by far.
assert abs(row["step_slowdown_s"]) < 10 * row["sync_write_s"] + 1, row
assert abs(row["slowdown_ratio"] - row["step_slowdown_s"] / row["sync_write_s"]) < 1e-9, row
assert row["stall_step_tokens"] == 64, row
assert abs(row["write_ratio"] - row["write_mb_s"] / row["plain_write_mb_s"]) < 1e-9, row
assert abs(row["read_ratio"] - row["read_mb_s"] / row["plain_read_mb_s"]) < 1e-9, row
assert abs(row["stall_ratio"] - row["stall_s"] / row["sync_write_s"]) < 1e-9, row
print("tiny:", row["bytes"], "bytes; write/read/stall ratios",
      *(round(row[k], 2) for k in ("write_ratio", "read_ratio", "stall_ratio")))'
# The bench leaves nothing behind in its folder.
dir=$(mktemp -d)
"$1" bench ckpt --models tiny --repeats 1 --dir "$dir" > /dev/null
[ -z "$(ls -A "$dir")" ] || { echo "bench ckpt left $(ls -A "$dir") in $dir"; exit 1; }
rmdir "$dir"
