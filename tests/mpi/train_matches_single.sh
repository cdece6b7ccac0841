#!/usr/bin/env bash
# train_matches_single.sh PARCAE RANKS DP PP: trains the tiny model as a lone
# process and as DP x PP under mpirun with RANKS ranks (1 coordinator, the rest
# workers, extra ones parked), and passes when every step's loss agrees within
# 1e-5 relative: distribution must not change what is computed.
set -euo pipefail
parcae=$1; ranks=$2; dp=$3; pp=$4
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# G = 12 sequences of B = 2: six micro-batches, so D = 3, 4 or 5 splits them unevenly.
args=(train --model tiny --steps 20 --global-batch 12 --micro-batch 2 --lr 3e-3 --warmup 2
      --seed 7 --eval-batches 2 --log-every 100)
"$parcae" "${args[@]}" --metrics "$work/single.jsonl" 2>/dev/null
"${MPIRUN:-mpirun}" -np "$ranks" --oversubscribe "$parcae" "${args[@]}" --dp "$dp" --pp "$pp" \
  --metrics "$work/dist.jsonl" 2>"$work/stderr" || { cat "$work/stderr"; exit 1; }
losses() { grep -o '"loss": [^,}]*' "$1" | cut -d' ' -f2; }
paste <(losses "$work/single.jsonl") <(losses "$work/dist.jsonl") | awk -v dp="$dp" -v pp="$pp" '
  { n++; d = $1 - $2; if (d < 0) d = -d; rel = d / ($1 < 0 ? -$1 : $1);
    if (rel > worst) worst = rel;
    if (rel > 1e-5) { printf "step %d: single %s vs %dx%d %s (rel %.2e)\n", n - 1, $1, dp, pp, $2, rel; bad = 1 } }
  END { if (n != 20) { print "expected 20 steps, got " n; exit 1 }
        printf "%dx%d: 20 steps, worst relative difference %.2e\n", dp, pp, worst; exit bad }'
