// One optimizer step of one worker (see step_runner.hpp).
#include "parcae/runtime/step_runner.hpp"

#include <cmath>

#include "parcae/data/batches.hpp"
#include "parcae/runtime/trainer.hpp"
#include "parcae/util/stopwatch.hpp"

namespace parcae::runtime {
StepRunner::StepRunner(const TrainConfig& cfg, const TrainData& data, compute::Stage& stage,
                       Groups& groups)
    : cfg_(cfg),
      data_(data),
      stage_(stage),
      groups_(groups),
      replica_(groups.placement().value().replica),
      s_(groups.placement().value().stage),
      P_(groups.pp()),
      share_(replica_share(cfg.micro_batches(), groups.dp(), replica_)),
      eval_share_(replica_share(cfg.eval_batches, groups.dp(), replica_)),
      // Each position's loss weighs 1 / (all positions of the global batch), so
      // the replicas' summed gradients are exactly the gradient of the global
      // mean loss.
      dloss_(1.0f /
             (static_cast<float>(cfg.model.micro_batch) * cfg.model.seq_len * cfg.micro_batches())),
      // Waiting notices go to rank 0 of the job's world, which is the groups'
      // (a merged one once workers joined), not necessarily MPI_COMM_WORLD.
      links_(make_stage_links(stage.backend(), groups, 1 << 20,
                              cfg.patience(groups.patience().world))),
      pipeline_group_(groups.pipeline(), 1 << 20, cfg.patience(groups.patience().world)),
      executor_(stage, P_ > 1 ? links_.pipeline.get() : nullptr, s_, P_, cfg.model.micro_batch,
                cfg.model.seq_len) {}

StepEnd StepRunner::run(int step, Reporter& reporter, const std::function<StepEnd()>& agree_end,
                        const std::function<void()>& before_update) {
  const int B = cfg_.model.micro_batch, T = cfg_.model.seq_len;
  const bool reports = s_ == P_ - 1;
  const util::Stopwatch step_watch;
  stage_.zero_grads();
  const BatchSource train_batch = [&](int m, std::span<int> tokens, std::span<int> targets) {
    const auto sample = static_cast<std::uint64_t>(share_.first + m) * B;
    data::fill_batch(data_.train, cfg_.seed, step, sample, B, T, tokens, targets);
  };
  const double loss = executor_.train(share_.count, train_batch, dloss_);
  const double pipeline_ms = step_watch.ms();
  const double compute_ms = pipeline_group_.max(executor_.last_compute_ms());

  const util::Stopwatch reduce_watch;
  std::vector<std::span<float>> grads;
  for (int l = stage_.first_layer(); l < stage_.end_layer(); ++l)
    grads.emplace_back(stage_.grad(l));
  links_.data->allreduce_sum(grads);
  const double allreduce_ms = reduce_watch.ms();
  const double norm = std::sqrt(pipeline_group_.sum(stage_.grad_sq_norm()));
  if (cfg_.grad_clip > 0 && norm > cfg_.grad_clip) {
    stage_.scale_grads(static_cast<float>(cfg_.grad_clip / (norm + 1e-6)));
  }
  auto adamw = cfg_.adamw;
  adamw.lr = static_cast<float>(cfg_.lr.at(step));
  if (before_update) before_update();
  stage_.adamw_step(adamw);
  const StepEnd end = agree_end ? agree_end() : StepEnd::train_on;
  if (reports) {
    reporter.step({step, loss, share_.count, norm, adamw.lr, step_watch.ms(), pipeline_ms,
                   compute_ms, allreduce_ms, static_cast<int>(end)});
  }

  if (data_.val && eval_due(cfg_, step)) {
    const BatchSource val_batch = [&](int m, std::span<int> tokens, std::span<int> targets) {
      data::fill_validation_batch(*data_.val, (eval_share_.first + m) * B, B, cfg_.eval_batches * B,
                                  T, tokens, targets);
    };
    const double val = executor_.evaluate(eval_share_.count, val_batch);
    if (reports) reporter.eval({step, val, eval_share_.count});
  }
  return end;
}

}  // namespace parcae::runtime
