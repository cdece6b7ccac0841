#!/usr/bin/env bash
# train_synthetic.sh PARCAE: `parcae train` with no data file trains on the
# built-in synthetic corpus: the metrics name it, every one of the 8 steps is
# there with a finite loss, the loss falls (5.5 -> ~4.4 measured) and the
# final validation is reported.
set -euo pipefail
parcae=$1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$parcae" train --model tiny --steps 8 --global-batch 4 --micro-batch 2 --warmup 2 --lr 3e-3 \
  --metrics "$work/m.jsonl" 2>"$work/err"
grep -q "step     8/8 | val loss" "$work/err" || { echo "no final validation line"; cat "$work/err"; exit 1; }
python3 - "$work/m.jsonl" <<'PY'
import json, math, sys
records = [json.loads(line) for line in open(sys.argv[1])]
assert records[0]["config"]["data"] == "<synthetic>", records[0]
steps = [r for r in records[1:] if "loss" in r]
vals = [r for r in records[1:] if "val_loss" in r]
assert [r["step"] for r in steps] == list(range(8)), steps
assert all(math.isfinite(r["loss"]) for r in steps), steps
assert steps[-1]["loss"] < steps[0]["loss"] - 0.5, (steps[0]["loss"], steps[-1]["loss"])
assert len(vals) == 1 and math.isfinite(vals[0]["val_loss"]), vals
print("synthetic: loss %.3f -> %.3f, val %.3f" % (steps[0]["loss"], steps[-1]["loss"], vals[0]["val_loss"]))
PY
