#pragma once
// One worker's optimizer steps on one layout: its stage's share of the 1F1B
// pipeline, the data-parallel gradient allreduce, global gradient-norm
// clipping across the pipeline, AdamW, the report of the replica's last stage
// and, when due, the validation loss. The fixed-layout trainer runs it over
// every step; the elastic worker builds one per layout and runs the steps each
// control message asks for. Data order is a pure function of (seed, step,
// sample), so a step computes the same thing whatever layout runs it. The
// stage's backend says how its tensors travel (stage_links.hpp): MPI on the
// CPU, host staging or NCCL on a GPU.
#include <memory>

#include "parcae/compute/stage.hpp"
#include "parcae/runtime/groups.hpp"
#include "parcae/runtime/mpi_transport.hpp"
#include "parcae/runtime/progress.hpp"
#include "parcae/runtime/stage_executor.hpp"
#include "parcae/runtime/stage_links.hpp"
#include "parcae/runtime/step_end.hpp"
#include "parcae/runtime/train_config.hpp"

namespace parcae::runtime {

struct TrainData;

class StepRunner {
 public:
  // `groups` must be active (regrouped with a layout that places this rank);
  // `stage` holds the layers of this rank's stage. Both must outlive the runner.
  // Collective over the layout (the data groups agree on their links).
  StepRunner(const TrainConfig& cfg, const TrainData& data, compute::Stage& stage, Groups& groups);

  // Optimizer step `step` (0-based, any order: a rollback redoes steps), then
  // the validation loss when one is due after it. Collective over the layout.
  // `agree_end`, when given, is asked after the update how the step ends
  // (step_end_agreement.hpp); its answer travels in the step's report and is
  // returned. `before_update`, when given, is called just before the
  // optimizer update changes the stage's state (a checkpoint's copy of it
  // still running is waited for there: checkpoint_writing.hpp).
  StepEnd run(int step, Reporter& reporter, const std::function<StepEnd()>& agree_end = {},
              const std::function<void()>& before_update = {});

 private:
  const TrainConfig& cfg_;
  const TrainData& data_;
  compute::Stage& stage_;
  Groups& groups_;
  int replica_ = 0, s_ = 0, P_ = 1;
  Share share_, eval_share_;
  float dloss_ = 0;
  StageLinks links_;               // to the neighbouring stages; this stage across the replicas
  MpiCollective pipeline_group_;   // this replica across the stages (norm, timing)
  StageExecutor executor_;
};

}  // namespace parcae::runtime
