#!/usr/bin/env bash
# bench_pipeline_runs.sh PARCAE: bench pipeline on 2 workers reports one row
# per (P, M) asked for, whose slowest stage's compute fits inside the measured
# pipeline time and whose efficiency is ideal / measured (it may pass 1 when
# the stages are unbalanced: the ideal assumes every stage as slow as the
# slowest), and an allreduce of exactly the tiny model's gradient
# bytes: 236 928 floats (embedding 256x64 + 64x64, four blocks of
# 12x64^2 + 13x64, head 2x64 + 256x64) = 947 712 bytes, over 2 replicas.
set -euo pipefail
parcae=$1
out=$("${MPIRUN:-mpirun}" -np 3 --oversubscribe "$parcae" bench pipeline --model tiny --steps 1 \
  --stages 1,2 --micro-batches 2,4 --repeats 1 --json)
printf '%s\n' "$out" | python3 -c '
import json, sys
j = json.load(sys.stdin)
rows = sorted((r["stages"], r["micro_batches"]) for r in j["pipeline"])
assert rows == [(1, 2), (1, 4), (2, 2), (2, 4)], rows
for r in j["pipeline"]:
    P, M = r["stages"], r["micro_batches"]
    assert 0 < r["slowest_stage_compute_ms"] <= r["pipeline_ms"] * 1.5, r  # skew between stages
    assert abs(r["ideal_ms"] - r["slowest_stage_compute_ms"] * (M + P - 1) / M) < 1e-6 * r["ideal_ms"], r
    assert abs(r["efficiency"] - r["ideal_ms"] / r["pipeline_ms"]) < 1e-9, r
a = j["allreduce"]
assert a["bytes"] == 947712 and a["replicas"] == 2, a
assert a["bucketed_ms"] > 0 and a["plain_ms"] > 0, a
print("bench pipeline: 4 rows, allreduce of", int(a["bytes"]), "bytes: ok")
'
