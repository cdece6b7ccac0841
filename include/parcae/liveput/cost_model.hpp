#pragma once
// The paper's cost model: throughput of a configuration from a profile table,
// and the time of restarts, communicator rebuilds and state transfers. Every
// constant is an option; the defaults are the Parcae artifact's
// (../shared/profiles/README.md, measured on 32 AWS p3.2xlarge, GPT-1.5B).
#include <cstdint>
#include <vector>

#include "parcae/liveput/layers.hpp"
#include "parcae/liveput/p2p.hpp"
#include "parcae/liveput/profile.hpp"

namespace parcae::liveput {

struct CostConstants {
  double interval_s = 60.0;          // trace interval (artifact: 60 s)
  double rendezvous_ms = 6600.0;     // re-rendezvous of a restarted job (artifact cost.py rdzv_time)
  double process_start_ms = 240.0;   // process start, GPT (artifact proc_time; 30 for other models)
  double checkpoint_ms = 14000.0;    // checkpoint save + load in the reactive baseline (throughput.py)
  double layer_build_ms = 430.0;     // model build: 430 x ceil(build_layers / pp) (cost.py)
  int build_layers = 48;             // GPT-1.5B blocks
  double embedding_bytes = 50257.0 * 1024 * 4;  // embedding transfer in the model build (cost.py)
  double rebuild_base_ms = 35.0;     // communicator rebuild: 35 + groups x per-group time
  double rebuild_add_ms = 500.0;     //   per group when instances were added
  double rebuild_remove_ms = 39.3;   //   per group otherwise (GPT-1.5B)
  double bytes_per_param = 12.0;     // parameter + two Adam moments, fp32
  // Seconds between a preemption notice and the instance's end. With a notice,
  // a doomed instance still sends its state (the artifact's assumption; AWS
  // gives 2 minutes); with 0, a layer whose every holder is preempted is lost
  // and the job rolls back to its checkpoint.
  double notice_s = 120.0;
  // Rollback: restart with a re-rendezvous plus a checkpoint load (taken as the
  // reactive baseline's checkpoint time, the only such figure the paper gives).
  double rollback_extra_ms = 14000.0;
  // How a re-partition's transfers add up: 'sum' sends every new stage's
  // missing state as one stream (the artifact's intent, throughput.py), 'max'
  // lets the new stages receive in parallel, 'last' is the artifact's
  // monte_carlo.py flaw (only the last new stage is charged), for comparison.
  enum class RepartitionTransfer { sum, max, last } repartition_transfer = RepartitionTransfer::sum;
  // Whether spares are part of the running job. The artifact restarts with a
  // re-rendezvous ('add') whenever the target needs more instances than the old
  // grid keeps (D*P - n_out), spares included. In this system spares are parked
  // ranks of the same MPI job (DESIGN.md): only instances allocated in the
  // interval need the 'add' restart (target > N - n_out).
  bool spares_in_job = false;

  double interval_ms() const { return interval_s * 1000.0; }
};

enum class RestartKind { add, remove };

// Which configurations a policy may choose (the artifact's per-model min/max
// pipeline depth; configurations missing from the profile are infeasible anyway).
struct ConfigSpace {
  int min_pp = 1;
  int max_pp = 1 << 20;
};

class CostModel {
 public:
  CostModel(ThroughputTable table, P2pTable p2p, LayerParams layers, CostConstants constants,
            ConfigSpace space);

  const CostConstants& constants() const { return k_; }
  const ThroughputTable& table() const { return table_; }
  const LayerParams& layers() const { return layers_; }
  int num_layers() const { return static_cast<int>(layers_.size()); }

  // 0 when the configuration is infeasible or outside the space.
  double samples_per_s(Config c) const;
  // Every feasible configuration, dp ascending then pp ascending.
  const std::vector<Config>& configs() const { return configs_; }
  // The artifact's best(N): highest samples/s with dp*pp <= n, scanning dp
  // ascending then pp ascending, the first of a tie winning. {0,0} if none fits.
  Config best_config(int n) const;

  double p2p_ms(double bytes) const { return p2p_.milliseconds(bytes); }
  double rebuild_ms(Config c, RestartKind kind) const;
  double model_build_ms(int pp) const;
  // restart(type) of profiles/README.md.
  double restart_ms(Config c, RestartKind kind) const;
  // Survivors regrouped into complete pipelines: communicators + process start.
  double intra_stage_ms(Config c) const;
  // Checkpoint-restart of the reactive baseline: restart + checkpoint save and
  // load (not at the first start) + every stage's state sent once.
  double checkpoint_restart_ms(Config c, RestartKind kind, bool first_start) const;
  // Rollback to the checkpoint when live state is lost.
  double rollback_ms(Config c) const;

  // The same model with every configuration's throughput times `speed` > 0
  // (what a job that trained at another speed than it measured would see).
  CostModel at_speed(double speed) const;

  // Per pipeline depth: stage boundaries, parameters and state-transfer times.
  const std::vector<int>& boundaries(int pp) const { return stages_.at(pp).boundaries; }
  const std::vector<std::int64_t>& stage_params(int pp) const { return stages_.at(pp).params; }
  const std::vector<double>& stage_transfer_ms(int pp) const { return stages_.at(pp).transfer_ms; }
  double max_stage_transfer_ms(int pp) const { return stages_.at(pp).max_transfer_ms; }

 private:
  struct Stages {
    std::vector<int> boundaries;
    std::vector<std::int64_t> params;
    std::vector<double> transfer_ms;
    double max_transfer_ms = 0.0;
    double total_transfer_ms = 0.0;
  };

  ThroughputTable table_;
  P2pTable p2p_;
  LayerParams layers_;
  CostConstants k_;
  ConfigSpace space_;
  std::vector<Config> configs_;
  std::vector<Stages> stages_;  // indexed by pp (entries 1 .. layers - 1)
};

// Throws InputError for negative constants or an interval <= 0.
void validate(const CostConstants& constants);

}  // namespace parcae::liveput
