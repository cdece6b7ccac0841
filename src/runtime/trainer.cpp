// The worker and coordinator loops of a training job (see trainer.hpp).
#include "parcae/runtime/trainer.hpp"

#include <thread>

#include "parcae/ckpt/checkpoint.hpp"
#include "parcae/data/corpus.hpp"
#include "parcae/data/llmc_tokens.hpp"
#include "parcae/error.hpp"
#include "parcae/model/partition.hpp"
#include "parcae/runtime/messages.hpp"
#include "parcae/runtime/mpi_transport.hpp"
#include "parcae/runtime/step_end_agreement.hpp"
#include "parcae/runtime/step_runner.hpp"
#include "parcae/runtime/waiting.hpp"

namespace parcae::runtime {
namespace {

constexpr std::size_t kSyntheticBytes = 1 << 20;

void check_vocab(const TrainConfig& cfg, const data::TokenData& d) {
  if (d.vocab > static_cast<std::uint32_t>(cfg.model.vocab)) {
    throw InputError(d.source + ": vocabulary of " + std::to_string(d.vocab) +
                     " tokens does not fit the model's " + std::to_string(cfg.model.vocab));
  }
  if (d.tokens.size() < static_cast<std::size_t>(cfg.model.seq_len) + 1) {
    throw InputError(d.source + ": " + std::to_string(d.tokens.size()) +
                     " tokens cannot fill one sample of context " +
                     std::to_string(cfg.model.seq_len));
  }
}

// The stage's layers, fresh from the seed or from the job's start checkpoint,
// in `backend`'s memory.
std::unique_ptr<compute::Stage> start_stage(const TrainConfig& cfg, int first, int end,
                                            compute::Backend& backend) {
  if (cfg.start.step_dir.empty())
    return std::make_unique<compute::Stage>(cfg.model, first, end, cfg.seed, backend);
  const auto manifest = ckpt::read_manifest(cfg.start.step_dir);
  return std::make_unique<compute::Stage>(
      cfg.model, ckpt::read_layers(cfg.start.step_dir, manifest, first, end), backend);
}

}  // namespace

TrainData load_train_data(const TrainConfig& cfg) {
  TrainData d;
  if (cfg.data_path.empty()) {
    d.train = data::synthetic_arithmetic(cfg.seed, kSyntheticBytes);
    d.val = data::synthetic_arithmetic(cfg.seed + 1, kSyntheticBytes / 8);
  } else {
    d.train = data::read_tokens(cfg.data_path);
    if (!cfg.val_path.empty()) d.val = data::read_tokens(cfg.val_path);
  }
  check_vocab(cfg, d.train);
  if (d.val) check_vocab(cfg, *d.val);
  return d;
}

bool eval_due(const TrainConfig& cfg, int step) {
  return step == cfg.steps - 1 || (cfg.eval_every > 0 && (step + 1) % cfg.eval_every == 0);
}

bool run_worker(const TrainConfig& cfg, const TrainData& data, Groups& groups, Reporter& reporter,
                const JobControl& control, compute::Backend& backend) {
  groups.regroup(Layout::dense(groups.workers(), cfg.dp, cfg.pp));
  if (!groups.active()) return false;
  const auto ranges = model::partition_layers(stage_balance_costs(cfg), cfg.pp);
  const auto& range = ranges[groups.placement()->stage];
  const auto stage = start_stage(cfg, range.first_layer, range.end_layer, backend);
  StepRunner runner(cfg, data, *stage, groups);
  int first_worker = 0;
  MPI_Comm_rank(groups.active_comm(), &first_worker);
  StepEndAgreement agreement(control.schedule, control.requests, groups.active_comm(),
                             MPI_COMM_WORLD, first_worker == 0, Patience{cfg.stall_seconds});
  StageSaver saver(cfg, groups.placement()->stage, groups.placement()->replica == 0,
                   [&](const ShardsSaved& saved) { reporter.shards_saved(saved); });
  bool stopped = false;
  for (int step = cfg.start.step; step < cfg.steps && !stopped; ++step) {
    // A checkpoint's copy of the stage, started at the previous step's end,
    // runs beside this step's forward and backward; it must be done before
    // the update changes the state it copies.
    const StepEnd end = runner.run(
        step, reporter, [&] { return agreement.agree(step, cfg.steps); },
        [&] { saver.wait_copied(); });
    saver.poll();
    if (end != StepEnd::train_on) {
      saver.save(step + 1, *stage);
      agreement.checkpointed();
    }
    stopped = end == StepEnd::checkpoint_and_stop;
  }
  saver.drain();  // the last checkpoint is whole before the job ends
  return stopped;
}

bool run_coordinator(const TrainConfig& cfg, bool has_val, MPI_Comm world, ProgressLog& log,
                     const JobControl& control) {
  // Each replica's last stage reports; receiving from each by name keeps the
  // steps in order (MPI orders messages per sender, not across senders).
  int size = 0;
  MPI_Comm_size(world, &size);
  const auto layout = Layout::dense(size - 1, cfg.dp, cfg.pp);
  const Patience patience{cfg.stall_seconds, world};
  Groups groups(world, 1, patience);
  groups.regroup(layout);  // collective over the world: the coordinator takes part, inactive
  std::vector<int> reporters;
  for (int r = 0; r < cfg.dp; ++r) reporters.push_back(layout.rank_of(r, cfg.pp - 1));
  // While it waits for a report, the coordinator hears the workers' waiting
  // notices: a rank someone waits for and nobody hears from fails the job.
  StallWatch stalls(patience);
  RequestRelay relay(control.requests, world);
  const auto report_from = [&](int source, auto kind) {
    const double since = MPI_Wtime();
    auto report = receive<decltype(kind)>(source, world, nullptr, [&] {
      relay.poll();
      stalls.check({source}, since);
    });
    stalls.heard(source);
    return report;
  };
  // The first replica of each stage writes its shards and reports them.
  std::vector<int> writers;
  for (int s = 0; s < cfg.pp; ++s) writers.push_back(layout.rank_of(0, s));
  ManifestKeeper keeper(cfg, size - 1);
  const auto take = [&](const ShardsSaved& saved) {
    if (const auto done = keeper.add(saved)) log.checkpoint(*done);
  };
  const auto take_arrived = [&] {
    for (;;) {
      int ready = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, static_cast<int>(Tag::shards_saved), world, &ready, &status);
      if (!ready) return;
      take(receive<ShardsSaved>(status.MPI_SOURCE, world));
    }
  };
  bool stopped = false;
  for (int step = cfg.start.step; step < cfg.steps && !stopped; ++step) {
    StepReport total;
    for (int source : reporters) merge(total, report_from(source, StepReport{}));
    log.step(total);
    if (has_val && eval_due(cfg, step)) {
      EvalReport eval;
      for (int source : reporters) merge(eval, report_from(source, EvalReport{}));
      log.eval(eval);
    }
    relay.poll();
    const auto end = static_cast<StepEnd>(total.end);
    if (end != StepEnd::train_on && !cfg.checkpoints.dir.empty()) keeper.expect();
    take_arrived();
    stopped = end == StepEnd::checkpoint_and_stop;
  }
  while (keeper.outstanding() > 0) {
    const double since = MPI_Wtime();
    take(receive<ShardsSaved>(MPI_ANY_SOURCE, world, nullptr, [&] {
      relay.poll();
      stalls.check(writers, since);
    }));
  }
  for (int rank = 1; rank < size; ++rank) {
    if (!layout.placement_of(rank)) send(Release{stopped}, rank, world);
  }
  return stopped;
}

std::vector<StepReport> run_job(const TrainConfig& cfg, const TrainData& data, std::ostream& out) {
  return run_training_job(cfg, data, out, {}).steps;
}

JobOutcome run_training_job(const TrainConfig& cfg, const TrainData& data, std::ostream& out,
                            const JobControl& control, compute::Backend& backend) {
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (size == 1) {
    ProgressLog log(cfg, out);
    LocalReporter reporter(log, cfg);
    Groups groups(MPI_COMM_WORLD, /*first_worker_rank=*/0);
    const bool stopped = run_worker(cfg, data, groups, reporter, control, backend);
    log.finish();
    return {log.history(), stopped};
  }
  if (rank == 0) {
    ProgressLog log(cfg, out);
    const bool stopped = run_coordinator(cfg, data.val.has_value(), MPI_COMM_WORLD, log, control);
    log.finish();
    return {log.history(), stopped};
  }
  Groups groups(MPI_COMM_WORLD, 1, Patience{cfg.stall_seconds});
  MpiReporter reporter(MPI_COMM_WORLD);
  const bool stopped = run_worker(cfg, data, groups, reporter, control, backend);
  if (!groups.active()) return {{}, wait_until_released(MPI_COMM_WORLD, control.requests)};
  return {{}, stopped};
}

bool oversubscribed(MPI_Comm world, int active) {
  int rank = 0;
  MPI_Comm_rank(world, &rank);
  MPI_Comm node;
  MPI_Comm_split_type(world, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node);
  int here = (rank >= 1 && rank <= active) ? 1 : 0, on_node = 0;
  MPI_Allreduce(&here, &on_node, 1, MPI_INT, MPI_SUM, node);
  MPI_Comm_free(&node);
  int over = on_node > static_cast<int>(std::thread::hardware_concurrency()) ? 1 : 0, any = 0;
  MPI_Allreduce(&over, &any, 1, MPI_INT, MPI_MAX, world);
  return any != 0;
}

bool wait_until_released(MPI_Comm world, const RequestSource& requests) {
  RequestRelay relay(requests, world);
  return receive<Release>(0, world, nullptr, [&] { relay.poll(); }).stopped;
}

void MpiReporter::step(const StepReport& r) { send(r, 0, world_); }

void MpiReporter::eval(const EvalReport& r) { send(r, 0, world_); }

void MpiReporter::shards_saved(const ShardsSaved& saved) { send(saved, 0, world_); }

}  // namespace parcae::runtime
