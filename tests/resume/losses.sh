# losses.sh: what the resume tests share, sourced by them.
# losses FILE: the training losses of a metrics file, one a line, in step order.
losses() { grep -o '"loss": [^,}]*' "$1" | cut -d' ' -f2; }
# steps FILE: the steps of its loss records.
loss_steps() { grep '"loss": ' "$1" | grep -o '"step": [0-9]*' | cut -d' ' -f2; }
# same_losses WANT GOT TOLERANCE LABEL: GOT's steps and losses equal the tail
# of WANT's (the same steps) within TOLERANCE relative (0: bit-identical as text).
same_losses() {
  local want=$1 got=$2 tol=$3 label=$4 n
  n=$(losses "$got" | wc -l)
  [ "$n" -gt 0 ] || { echo "$label: no steps"; return 1; }
  [ "$(loss_steps "$got" | tr '\n' ' ')" = "$(loss_steps "$want" | tail -n "$n" | tr '\n' ' ')" ] ||
    { echo "$label: steps $(loss_steps "$got" | tr '\n' ' ') are not the last $n of the uninterrupted run"; return 1; }
  paste <(losses "$want" | tail -n "$n") <(losses "$got") | awk -v tol="$tol" -v label="$label" '
    { d = $1 - $2; if (d < 0) d = -d; rel = d / ($1 < 0 ? -$1 : $1); if (rel > worst) worst = rel
      if (rel > tol) { printf "%s: step %d: uninterrupted %s, resumed %s (rel %.2e)\n", label, NR, $1, $2, rel; bad = 1 } }
    END { printf "%s: %d steps, worst relative difference %.2e\n", label, NR, worst; exit bad }'
}
