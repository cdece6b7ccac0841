#pragma once
// What the coordinator makes of the workers' reports (runtime/messages.hpp): a
// progress line every --log-every steps and metrics as JSON Lines (a first
// record with the effective configuration and the schema version, then one
// object per optimizer step and one per validation).
#include <iosfwd>
#include <string>
#include <vector>

#include "parcae/runtime/messages.hpp"
#include "parcae/runtime/train_config.hpp"

namespace parcae::runtime {

// The workers' side: the last stage of each replica reports.
class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void step(const StepReport& report) = 0;
  virtual void eval(const EvalReport& report) = 0;
  // A stage's shards of a checkpoint are written (checkpoint_writing.hpp).
  virtual void shards_saved(const ShardsSaved&) {}
};

struct CheckpointSummary;

// The coordinator's side: merges the replicas' reports of one step (sums, and
// the slowest replica's time) and logs them.
class ProgressLog {
 public:
  // `metrics_path` empty = no metrics file. The records are kept in memory and
  // finish() writes them atomically (util::AtomicFile): an earlier file is
  // never lost to a run that dies, and a dead run leaves no temporary behind.
  ProgressLog(const TrainConfig& cfg, std::ostream& out);
  // Throws std::runtime_error naming the step when its loss or gradient norm
  // is not finite (the run has diverged: exit 1).
  void step(const StepReport& merged);
  void eval(const EvalReport& merged);
  // A complete checkpoint: a progress line with its training stall, and a metrics record.
  void checkpoint(const CheckpointSummary& saved);
  void finish();

  double last_loss() const { return last_loss_; }
  const std::vector<StepReport>& history() const { return history_; }
  double last_val_loss() const { return last_val_loss_; }

 private:
  const TrainConfig& cfg_;
  std::ostream& out_;
  std::string metrics_;  // JSON Lines, written by finish()
  double last_loss_ = 0, last_val_loss_ = 0;
  std::vector<StepReport> history_;
};

// Adds `part` into `total` (step and lr are the same on every replica).
void merge(StepReport& total, const StepReport& part);
void merge(EvalReport& total, const EvalReport& part);

}  // namespace parcae::runtime
