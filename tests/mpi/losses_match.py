#!/usr/bin/env python3
"""losses_match.py REF GOT [--min-steps N] [--every-step] [--from-step S]: every
step's loss in the metrics file GOT (JSON Lines; a redone step appears again
and is checked too) equals REF's for the same step within 1e-5 relative.
--min-steps: GOT must hold at least N step records; --every-step: every step
of REF must appear in GOT (none lost), from step S on with --from-step (a run
resumed from the checkpoint of step S). Exit 1 otherwise, naming the steps."""
import json
import sys


def losses(path):
    return [r for r in map(json.loads, open(path)) if "loss" in r]


def main(argv):
    ref = {r["step"]: r["loss"] for r in losses(argv[1])}
    got = losses(argv[2])
    min_steps = int(argv[argv.index("--min-steps") + 1]) if "--min-steps" in argv else 0
    worst, bad = 0.0, 0
    for r in got:
        rel = abs(r["loss"] - ref[r["step"]]) / abs(ref[r["step"]])
        worst = max(worst, rel)
        if rel > 1e-5:
            bad += 1
            print(f"step {r['step']}: single {ref[r['step']]} elastic {r['loss']} (rel {rel:.2e})")
    steps = {r["step"] for r in got}
    first = int(argv[argv.index("--from-step") + 1]) if "--from-step" in argv else 0
    missing = sorted(s for s in set(ref) - steps if s >= first) if "--every-step" in argv else []
    print(f"{len(got)} steps ({len(got) - len(steps)} redone after a rollback), "
          f"worst relative difference {worst:.2e}")
    if missing:
        print(f"steps never trained: {missing}")
    return 1 if bad or missing or len(got) < min_steps else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
