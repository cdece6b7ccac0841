#pragma once
// Checkpoints of an elastic run, what a rollback goes back to: the layout
// changes under them, the store does not care (one file per layer). After
// every --checkpoint-every steps the first replica of each stage writes its
// stage's shards (synchronously: a preempted rank must not leave a write
// behind that the run counts on) and reports them to rank 0 (ShardsSaved),
// which writes the manifest once every stage's came, then prunes. A rollback
// (some layer has no live holder) reloads the newest complete one, each new
// stage reading exactly its layers, and redoes the steps after it.
#include <cstdint>
#include <vector>

#include "parcae/compute/stage.hpp"
#include "parcae/elastic/trace_position.hpp"
#include "parcae/runtime/messages.hpp"
#include "parcae/runtime/train_config.hpp"

namespace parcae::elastic {

// Whether the run checkpoints after `steps_done` steps.
bool checkpoint_due(const runtime::TrainConfig& cfg, std::int64_t steps_done);

// Writes `stage`'s shards into the step folder of `steps_done` and returns
// their records, for stage index `stage`.
runtime::ShardsSaved save_stage(const runtime::TrainConfig& cfg, const compute::Stage& stage,
                                int stage_index, std::int64_t steps_done);

// Writes layers [first, end) of `held` (the rank's live shards, any order)
// into the step folder of `steps_done` as part `part` of a checkpoint that a
// change goes through the store by (ControlMessage::State::through_store).
runtime::ShardsSaved save_held_layers(const runtime::TrainConfig& cfg,
                                      const std::vector<model::Shard>& held, int first, int end,
                                      int part, std::int64_t steps_done);

// Rank 0, once every stage of a D x P layout reported: the manifest (with
// the trace position `at`, where a run resumed from it goes on), then
// pruning to the newest --keep-checkpoints.
void complete_checkpoint(const runtime::TrainConfig& cfg, int dp, int pp, int workers,
                         const std::vector<runtime::ShardsSaved>& stages, const TracePosition& at);

// Layers [first, end) of the run's complete checkpoint after `steps_done`
// steps, verified against its manifest: the checkpoint the job resumed from
// (--resume PATH may name one outside the run's folder) when it is of that
// step, else the run's own.
std::vector<model::Shard> load_layers(const runtime::TrainConfig& cfg, std::int64_t steps_done,
                                      int first, int end);

}  // namespace parcae::elastic
