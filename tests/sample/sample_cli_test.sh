#!/bin/bash
# parcae sample end to end: the tiny model trained briefly on tinyshakespeare (by
# parcae train, which checkpoints through the store) writes text whose
# byte distribution is closer to the corpus's than uniform is; the same seed gives
# the same text, another seed other text; a prompt is continued; a missing,
# incomplete or empty checkpoint is exit 2 naming it.
# usage: sample_cli_test.sh PARCAE TEXT
set -u
parcae=$1 text=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

"$parcae" data prepare --text "$text" --out "$dir/shakespeare.bin" > /dev/null &&
  "$parcae" train --model tiny --data "$dir/shakespeare.bin" --steps 150 --global-batch 8 \
    --micro-batch 8 --lr 3e-3 --log-every 50 --checkpoint-dir "$dir" --run run \
    --checkpoint-every 150 > "$dir/train.log" 2>&1 ||
  { cat "$dir/train.log"; echo "FAIL: training the test model"; exit 1; }

sample() { "$parcae" sample --checkpoint "$dir/run" --tokens 4000 "$@"; }
sample --seed 7 > "$dir/a.txt" 2> "$dir/a.err" || bad "sample exit $?: $(cat "$dir/a.err")"
sample --seed 7 > "$dir/b.txt" 2>/dev/null
sample --seed 8 > "$dir/c.txt" 2>/dev/null
cmp -s "$dir/a.txt" "$dir/b.txt" || bad "the same seed gave different text"
cmp -s "$dir/a.txt" "$dir/c.txt" && bad "seeds 7 and 8 gave the same text"
grep -q "step 150" "$dir/a.err" || bad "the newest checkpoint (step 150) was not named: $(cat "$dir/a.err")"

# Total variation distance between byte distributions: sample vs corpus, uniform vs corpus.
python3 - "$text" "$dir/a.txt" <<'PY' || fail=1
import sys
from collections import Counter
def dist(data):
    c = Counter(data); n = len(data)
    return {b: c[b] / n for b in range(256)}
corpus = dist(open(sys.argv[1], "rb").read())
sampled = dist(open(sys.argv[2], "rb").read())
tv = lambda p, q: 0.5 * sum(abs(p[b] - q[b]) for b in range(256))
uniform = {b: 1 / 256 for b in range(256)}
got, ref = tv(sampled, corpus), tv(uniform, corpus)
print("byte distribution: TV(sample, corpus) = %.3f, TV(uniform, corpus) = %.3f" % (got, ref))
if not got < 0.5 * ref:
    print("FAIL: the sample's bytes are not much closer to the corpus than uniform")
    sys.exit(1)
PY

out=$("$parcae" sample --checkpoint "$dir/run" --prompt "ROMEO:" --tokens 20 --seed 1 2>/dev/null)
[[ $out == ROMEO:* ]] || bad "the prompt is not where the text starts: '$out'"
g1=$("$parcae" sample --checkpoint "$dir/run" --temperature 0 --tokens 50 2>/dev/null)
g2=$("$parcae" sample --checkpoint "$dir/run" --top-k 1 --seed 99 --tokens 50 2>/dev/null)
[[ $g1 == "$g2" ]] || bad "temperature 0 and top-k 1 differ: '$g1' vs '$g2'"

# An unfinished newer checkpoint is ignored in a run folder, refused when named.
mkdir "$dir/run/step-00000200"
sample --seed 7 > "$dir/d.txt" 2>/dev/null
cmp -s "$dir/a.txt" "$dir/d.txt" || bad "an incomplete newer checkpoint changed what the run folder loads"
expect2() {  # expect2 NEEDLE ARGS...: exit 2 and NEEDLE in the message
  local needle=$1; shift
  local err; err=$("$parcae" sample "$@" 2>&1 >/dev/null); local rc=$?
  [[ $rc == 2 ]] || bad "$* : exit $rc, expected 2 ($err)"
  [[ $err == *"$needle"* ]] || bad "$* : '$needle' not in '$err'"
}
expect2 "$dir/run/step-00000200: incomplete checkpoint" --checkpoint "$dir/run/step-00000200"
expect2 "$dir/nothing: no such checkpoint" --checkpoint "$dir/nothing"
mkdir "$dir/empty"
expect2 "$dir/empty: no complete checkpoint" --checkpoint "$dir/empty"
expect2 "--checkpoint" --tokens 5
rm "$dir/run/step-00000150/layer-0002.h5"
expect2 "layer-0002.h5" --checkpoint "$dir/run"

exit $fail
