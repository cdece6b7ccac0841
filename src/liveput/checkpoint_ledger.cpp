// Checkpoint stalls and rollback losses of a simulated run (checkpoint_ledger.hpp).
#include "parcae/liveput/checkpoint_ledger.hpp"

#include <algorithm>
#include <cmath>

#include "parcae/liveput/transition.hpp"

namespace parcae::liveput {

// Inclusion-exclusion over the stages that lose every replica: j given stages
// lose all theirs in C(n - jD, n_out - jD) of the C(n, n_out) draws.
double stage_loss_probability(int n, Config from, int n_out) {
  if (!from.training() || n_out <= 0) return 0.0;
  if (n_out >= n) return 1.0;
  const double all = choose(n, n_out);
  double p = 0.0;
  for (int j = 1; j <= from.pp && j * from.dp <= n_out; ++j) {
    const double term = choose(from.pp, j) * choose(n - j * from.dp, n_out - j * from.dp) / all;
    p += (j % 2 == 1) ? term : -term;
  }
  return std::clamp(p, 0.0, 1.0);
}

double rollback_probability(int n, Config from, int n_out, double notice_s) {
  if (notice_s > 0.0) return from.training() && n_out >= n ? 1.0 : 0.0;
  return stage_loss_probability(n, from, n_out);
}

double active_loss_probability(int n, Config from, int n_out) {
  if (!from.training() || n_out <= 0) return 0.0;
  const int spares = n - from.instances();
  if (n_out > spares) return 1.0;
  return std::clamp(1.0 - choose(spares, n_out) / choose(n, n_out), 0.0, 1.0);
}

double step_checkpoint_share(const CheckpointCadence& cadence, double samples_per_s) {
  if (cadence.every_samples <= 0 || samples_per_s <= 0) return 1.0;
  const double period_s = cadence.every_samples / samples_per_s;
  return period_s / (period_s + cadence.save_ms / 1000.0);
}

double CheckpointLedger::lose(double p) {
  const double lost = p * since_;
  since_ -= lost;
  return lost;
}

void CheckpointLedger::changed(double p) {
  since_ *= 1.0 - p;
  if (p >= 1.0) clock_s_ = 0;
}

double CheckpointLedger::train(double samples_per_s, double train_s, double interval_s) {
  if (samples_per_s <= 0 || train_s <= 0) {
    clock_s_ += interval_s;
    return 0.0;
  }
  const double save_s = c_.save_ms / 1000.0;
  double samples = samples_per_s * step_checkpoint_share(c_, samples_per_s) * train_s;
  since_ += samples;
  if (c_.every_samples > 0) since_ = std::fmod(since_, c_.every_samples);
  clock_s_ += interval_s;
  if (c_.every_s > 0 && clock_s_ >= c_.every_s) {
    // Taken between intervals: its stall comes out of this one's training.
    samples = std::max(0.0, samples - samples_per_s * save_s);
    since_ = 0;
    clock_s_ = 0;
  }
  return samples;
}

}  // namespace parcae::liveput
