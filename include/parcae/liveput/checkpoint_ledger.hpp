#pragma once
// What checkpoints cost a simulated run and what a rollback throws away. The
// paper's simulator (and `parcae simulate` by default) charges a rollback only
// its restart and checkpoints nothing; a real elastic run pays both: each
// checkpoint stalls training (elastic checkpoints are written synchronously),
// and with no preemption notice a preemption that takes every replica of some
// stage loses the state trained since the newest checkpoint, whose steps are
// redone and so never counted twice. The live job's prediction of its own
// committed samples needs both to be comparable with what it commits.
#include "parcae/liveput/cost_model.hpp"

namespace parcae::liveput {

// Probability that `n_out` of the `n` alive instances, drawn uniformly,
// include all `from.dp` replicas of at least one of the `from.pp` stages (the
// other n - D*P instances are spares). 0 when `from` does not train.
double stage_loss_probability(int n, Config from, int n_out);
// The probability that the interval's preemptions lose live state: with a
// notice (notice_s > 0) doomed instances send theirs to the survivors, so only
// when none survive; without, stage_loss_probability.
double rollback_probability(int n, Config from, int n_out, double notice_s);
// Probability that those `n_out` include at least one of the D*P instances
// `from` trains on (a change that moves state, even where the configuration
// stays: a spare takes the lost rank's place).
double active_loss_probability(int n, Config from, int n_out);

// When the simulated run checkpoints (the elastic job's options), and what a
// checkpoint costs it.
struct CheckpointCadence {
  double every_samples = 0;  // after each this many committed samples (--checkpoint-every x batch)
  double every_s = 0;        // between intervals, once this long since the newest (--checkpoint-seconds)
  bool on_change = false;    // every reconfiguration goes through the store (reactive, --migration hdf5)
  double save_ms = 0;        // the training stall of one checkpoint
};

// The share of training time left at `samples_per_s` once every
// `every_samples` period is followed by a `save_ms` stall (1 without them).
double step_checkpoint_share(const CheckpointCadence& cadence, double samples_per_s);

// The expected checkpoint state of a simulated run, interval by interval: the
// simulator calls lose() at each interval's preemptions, changed() when a
// reconfiguration went through the store, then train() for the interval.
class CheckpointLedger {
 public:
  explicit CheckpointLedger(CheckpointCadence cadence) : c_(cadence) {}
  // A preemption that loses a stage with probability p: the expected samples
  // thrown away (the steps since the newest checkpoint, redone later).
  double lose(double p);
  // The store holds the state as of now (a reconfiguration through it), with
  // probability p.
  void changed(double p = 1.0);
  // `train_s` seconds of training at `samples_per_s` within an interval of
  // `interval_s`: the samples it commits net of checkpoint stalls.
  double train(double samples_per_s, double train_s, double interval_s);
  double since_checkpoint() const { return since_; }

 private:
  CheckpointCadence c_;
  double since_ = 0;   // expected samples committed since the newest checkpoint
  double clock_s_ = 0; // wall time since the newest checkpoint
};

}  // namespace parcae::liveput
