#pragma once
// The training job's roles. In a job of 1 + W ranks, rank 0 coordinates (it
// never trains: it gathers the replicas' reports and logs progress) and ranks
// 1..W are workers, each one stage of one replica or parked. Started as a lone
// process, it plays both roles.
#include <mpi.h>

#include <optional>
#include <ostream>
#include <vector>

#include "parcae/compute/backend.hpp"
#include "parcae/data/token_file.hpp"
#include "parcae/runtime/checkpoint_writing.hpp"
#include "parcae/runtime/groups.hpp"
#include "parcae/runtime/progress.hpp"
#include "parcae/runtime/step_end.hpp"
#include "parcae/runtime/train_config.hpp"

namespace parcae::runtime {

struct TrainData {
  data::TokenData train;
  std::optional<data::TokenData> val;
};

// The token files of the config, or the built-in synthetic corpus (training
// text from the seed, validation text from another seed). Throws InputError
// for a bad file or one too short for the context, or a vocabulary the model
// cannot embed.
TrainData load_train_data(const TrainConfig& cfg);

// What a training job hears and does besides training: the requests of the
// signals (train's; none for the commands that only measure) and when
// checkpoints are due. Every step ends as the ranks agree (step_end.hpp).
struct JobControl {
  RequestSource requests;
  CheckpointSchedule schedule;
};

// One worker's whole job: its stage of its replica, every step, reported by
// each replica's last stage. Collective over the world: every rank of the
// layout must call it. Its stage lives and computes on `backend`. Returns
// whether the job stopped early on a request (after its checkpoint).
bool run_worker(const TrainConfig& cfg, const TrainData& data, Groups& groups, Reporter& reporter,
                const JobControl& control = {},
                compute::Backend& backend = compute::cpu_backend());

// Rank 0 of a multi-rank job: merges the reports of the D replicas per step
// and per evaluation (when the job has validation data), relays its own
// signals to the workers, then releases the parked ranks. Returns whether the
// job stopped early.
bool run_coordinator(const TrainConfig& cfg, bool has_val, MPI_Comm world, ProgressLog& log,
                     const JobControl& control = {});

// Whether any node runs more of the first `active` worker ranks than it has
// cores (collective over the world): such timings measure the oversubscription.
bool oversubscribed(MPI_Comm world, int active);

// A parked rank: waits (politely, not spinning) until the coordinator
// releases it, relaying its signals' requests. Returns whether the job stopped early.
bool wait_until_released(MPI_Comm world, const RequestSource& requests = {});

// Sends a worker's reports to rank 0.
class MpiReporter final : public Reporter {
 public:
  explicit MpiReporter(MPI_Comm world) : world_(world) {}
  void step(const StepReport& report) override;
  void eval(const EvalReport& report) override;
  void shards_saved(const ShardsSaved& saved) override;

 private:
  MPI_Comm world_;
};

// A lone process: the reports go straight into the log, the checkpoints'
// records into their manifest.
class LocalReporter final : public Reporter {
 public:
  LocalReporter(ProgressLog& log, const TrainConfig& cfg) : log_(log), keeper_(cfg, 1) {}
  void step(const StepReport& report) override { log_.step(report); }
  void eval(const EvalReport& report) override { log_.eval(report); }
  void shards_saved(const ShardsSaved& saved) override {
    if (const auto done = keeper_.add(saved)) log_.checkpoint(*done);
  }

 private:
  ProgressLog& log_;
  ManifestKeeper keeper_;
};

// The whole job on MPI_COMM_WORLD, every rank calling it: a lone process plays
// both roles, rank 0 coordinates (progress to `out`, metrics to the config's
// file), ranks 1.. work or wait parked. Returns, on the rank that logged, every
// step's merged report (empty elsewhere).
std::vector<StepReport> run_job(const TrainConfig& cfg, const TrainData& data, std::ostream& out);

// The same, with train's control: `stopped` on every rank when the job ended
// early on a stop request (every rank then exits 75). The workers compute on
// `backend` (--device; the coordinator never computes).
struct JobOutcome {
  std::vector<StepReport> steps;
  bool stopped = false;
};
JobOutcome run_training_job(const TrainConfig& cfg, const TrainData& data, std::ostream& out,
                            const JobControl& control,
                            compute::Backend& backend = compute::cpu_backend());

// Whether an evaluation follows step `step` (every eval_every steps, and the last).
bool eval_due(const TrainConfig& cfg, int step);

}  // namespace parcae::runtime
