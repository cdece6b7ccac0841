// parcae train: a training job. Under `mpirun -np 1+W`, rank 0 coordinates and
// ranks 1..W train as D replicas x P stages (the rest parked); started alone,
// the one process plays both roles.
#include <filesystem>
#include <iostream>

#include "command.hpp"
#include "device_option.hpp"
#include "elastic_options.hpp"
#include "plot_option.hpp"
#include "mpi_command.hpp"
#include "number_option.hpp"
#include "parcae/ckpt/catalog.hpp"
#include "parcae/ckpt/manifest.hpp"
#include "parcae/elastic/trace_position.hpp"
#include "parcae/error.hpp"
#include "parcae/runtime/exit_file.hpp"
#include "parcae/runtime/resume.hpp"
#include "parcae/runtime/trainer.hpp"

namespace parcae::cli {
namespace {

using runtime::TrainConfig;

// Every default comes from TrainConfig's.
void add_options(po::options_description& o) {
  const TrainConfig d;
  // clang-format off
  o.add_options()
      ("model", po::value<std::string>()->default_value(TrainConfig::kDefaultModel),
       "tiny | small | gpt2-124m")
      ("micro-batch", number(closed(1, 4096))->default_value(d.model.micro_batch),
       "sequences per micro-batch (B)")
      ("seq", number(closed(1, 65536)), "context length T (default: the model's)")
      ("channels", number(closed(1, 65536)), "override the preset's channels C")
      ("layers", number(closed(1, 1024)), "override the preset's transformer blocks L")
      ("heads", number(closed(1, 4096)), "override the preset's attention heads H (must divide C)")
      ("data", po::value<std::string>()->value_name("FILE"),
       "training token file (parcae data prepare); default: built-in synthetic corpus")
      ("val-data", po::value<std::string>()->value_name("FILE"),
       "validation token file (default: DATA with .val.bin, if it exists)")
      ("steps", number(closed(1, 100'000'000))->default_value(d.steps), "optimizer steps")
      ("global-batch", number(closed(1, 65536))->default_value(d.global_batch),
       "sequences per optimizer step (G), whatever D and P are")
      ("lr", number(open_closed(0.0, 10.0))->default_value(d.lr.peak), "peak learning rate")
      ("min-lr", number(closed(0.0, 10.0)), "final learning rate of the cosine decay (default lr/10)")
      ("warmup", number(closed(0, 100'000'000))->default_value(d.lr.warmup_steps),
       "linear warmup steps")
      ("weight-decay", number(closed(0.0f, 10.0f))->default_value(d.adamw.weight_decay),
       "AdamW decoupled weight decay")
      ("beta1", number(closed_open(0.0f, 1.0f))->default_value(d.adamw.beta1), "AdamW beta1")
      ("beta2", number(closed_open(0.0f, 1.0f))->default_value(d.adamw.beta2), "AdamW beta2")
      ("grad-clip", number(closed(0.0, 1e6))->default_value(d.grad_clip),
       "global gradient-norm clip (0 = off)")
      ("seed", number(closed<std::uint64_t>(0, UINT64_MAX))->default_value(d.seed),
       "initialisation and data-order seed")
      ("dp", number(closed(1, 4096))->default_value(d.dp), "data-parallel replicas (D)")
      ("pp", number(closed(1, 1024))->default_value(d.pp), "pipeline stages (P)")
      ("log-every", number(closed(1, 100'000'000))->default_value(d.log_every),
       "progress line every N steps")
      ("eval-every", number(closed(0, 100'000'000))->default_value(d.eval_every),
       "validation loss every N steps (0 = at the end)")
      ("eval-batches", number(closed(1, 65536))->default_value(d.eval_batches),
       "micro-batches per validation")
      ("metrics", po::value<std::string>()->value_name("OUT"), "write metrics as JSON Lines to OUT")
      ("exit-file", po::value<std::string>()->value_name("OUT"),
       "rank 0 writes the job's exit code to OUT when it ends (75: requeue me), which mpirun "
       "--enable-recovery does not return (jobs/parcae_job.sh reads it)")
      ("stall-seconds", number(closed(1.0, 1e6))->default_value(d.stall_seconds),
       "a rank that makes no progress for this long fails the job, naming the rank")
      ("checkpoint-dir", po::value<std::string>()->value_name("DIR")->default_value("checkpoints"),
       "checkpoints go to DIR/RUN/step-NNNNNNNN (written only when one of the checkpoint "
       "options or --resume is given)")
      ("run", po::value<std::string>()->value_name("NAME")->default_value(d.checkpoints.run),
       "the run's name: its folder in the checkpoint dir")
      ("checkpoint-every", number(closed(1, 100'000'000)), "checkpoint every N steps (and at the end)")
      ("checkpoint-seconds", number(closed(1.0, 1e9)),
       "checkpoint when this many seconds have passed since the last (and at the end)")
      ("keep-checkpoints", number(closed(1, 1'000'000))->default_value(d.checkpoints.keep),
       "keep the newest K complete checkpoints of the run")
      ("checkpoint-sync", po::bool_switch(),
       "write checkpoints before training on (default: copy the shards, write in the background)")
      ("resume", po::value<std::string>()->value_name("auto|PATH"),
       "auto: from the run's newest complete checkpoint (none: a fresh start); PATH: from that "
       "step folder");
  // clang-format on
  add_threads_option(o);
  add_device_option(o, "cpu");
  add_elastic_options(o);
  add_plot_option(o);
}

// Checkpoints are written when asked for: a checkpoint option, a named run or
// dir, or --resume (a plain run writes nothing it was not asked for).
bool checkpointing_asked(const po::variables_map& vm) {
  for (const char* name : {"checkpoint-every", "checkpoint-seconds", "checkpoint-sync", "resume"}) {
    if (vm.count(name) && !vm[name].defaulted()) return true;
  }
  return !vm["checkpoint-dir"].defaulted() || !vm["run"].defaulted();
}

void checkpoints_from(const po::variables_map& vm, TrainConfig& c) {
  auto& k = c.checkpoints;
  k.run = vm["run"].as<std::string>();
  k.keep = vm["keep-checkpoints"].as<int>();
  k.sync = vm["checkpoint-sync"].as<bool>();
  if (vm.count("checkpoint-every")) k.every_steps = vm["checkpoint-every"].as<int>();
  if (vm.count("checkpoint-seconds")) k.every_seconds = vm["checkpoint-seconds"].as<double>();
  if (checkpointing_asked(vm)) k.dir = vm["checkpoint-dir"].as<std::string>();
}

TrainConfig config_from(const po::variables_map& vm) {
  TrainConfig c;
  c.model = model::GptConfig::preset(vm["model"].as<std::string>());
  c.model.micro_batch = vm["micro-batch"].as<int>();
  if (vm.count("seq")) c.model.seq_len = vm["seq"].as<int>();
  if (vm.count("channels")) c.model.channels = vm["channels"].as<int>();
  if (vm.count("layers")) c.model.layers = vm["layers"].as<int>();
  if (vm.count("heads")) c.model.heads = vm["heads"].as<int>();
  if (vm.count("data")) {
    c.data_path = vm["data"].as<std::string>();
    const auto dot = c.data_path.rfind(".bin");
    const std::string guess =
        dot == std::string::npos ? "" : c.data_path.substr(0, dot) + ".val.bin";
    if (vm.count("val-data")) {
      c.val_path = vm["val-data"].as<std::string>();
    } else if (!guess.empty() && std::filesystem::is_regular_file(guess)) {
      c.val_path = guess;
    }
  } else if (vm.count("val-data")) {
    throw InputError("--val-data needs --data");
  }
  c.steps = vm["steps"].as<int>();
  c.global_batch = vm["global-batch"].as<int>();
  c.lr.peak = vm["lr"].as<double>();
  c.lr.min_lr = vm.count("min-lr") ? vm["min-lr"].as<double>() : c.lr.peak / 10;
  c.lr.warmup_steps = vm["warmup"].as<int>();
  c.lr.total_steps = c.steps;
  c.adamw.weight_decay = vm["weight-decay"].as<float>();
  c.adamw.beta1 = vm["beta1"].as<float>();
  c.adamw.beta2 = vm["beta2"].as<float>();
  c.grad_clip = vm["grad-clip"].as<double>();
  c.seed = vm["seed"].as<std::uint64_t>();
  c.dp = vm["dp"].as<int>();
  c.pp = vm["pp"].as<int>();
  c.log_every = vm["log-every"].as<int>();
  c.eval_every = vm["eval-every"].as<int>();
  c.eval_batches = vm["eval-batches"].as<int>();
  if (vm.count("metrics")) c.metrics_path = vm["metrics"].as<std::string>();
  c.stall_seconds = vm["stall-seconds"].as<double>();
  checkpoints_from(vm, c);
  return c;
}

struct Job {
  TrainConfig cfg;
  runtime::TrainData data;
  std::optional<elastic::ElasticConfig> elastic;
  std::optional<std::string> plot;  // --plot: drawn from the elastic timeline by rank 0
  std::string start_said;             // where training starts, when checkpoints are on
  std::vector<std::string> warnings;  // checkpoints skipped by --resume auto
  compute::Backend* backend = &compute::cpu_backend();  // where this rank's stage computes
};

// --device: the word on every rank; a GPU chosen only by a rank that computes
// (a worker, or the lone process; the coordinator may run where there is none).
// The elastic path moves shards between host buffers, so it computes on the
// CPU until its migrations learn device memory.
compute::Backend* backend_from(const po::variables_map& vm, const MpiJob& job, bool elastic) {
  const auto request = device_request_from_option(vm);
  const char* elastic_refusal =
      "--device cuda does not apply to an elastic run yet (--elastic and --trace train on the "
      "CPU: leave --device at cpu)";
  if (elastic && request == compute::DeviceRequest::cuda) throw InputError(elastic_refusal);
  if (job.size > 1 && job.rank == 0) return &compute::cpu_backend();
  compute::Backend& backend = backend_from_device_option(vm);
  if (elastic && backend.device() != compute::Device::cpu) throw InputError(elastic_refusal);
  return &backend;
}

// Where in the trace a resumed elastic run goes on: what its checkpoint recorded.
elastic::TracePosition trace_position_of(const Job& j) {
  const auto& dir = j.cfg.start.step_dir;
  try {
    return elastic::position_of(ckpt::read_manifest(dir).training, j.cfg.start.step,
                                j.elastic->interval_steps);
  } catch (const InputError& e) {
    throw InputError("--resume " + dir + ": " + e.what());
  }
}

// Every rank parses and validates the same way before any communication.
std::optional<Job> setup(int argc, char** argv, MpiJob& job) {
  po::options_description options("parcae train options");
  add_options(options);
  po::variables_map vm;
  if (!parse_command_line_on_rank(job.speaks() ? 0 : 1, argc, argv,
                                  "usage: [mpirun -np 1+D*P] parcae train [--model small] "
                                  "[--data FILE.bin] [--dp D --pp P] ...\n"
                                  "Trains a GPT model; rank 0 coordinates, ranks 1.. train "
                                  "(alone, one process does both).",
                                  options, vm)) {
    return std::nullopt;
  }
  Job j;
  j.cfg = config_from(vm);
  // A joiner checks the options as one worker: the job that spawned it
  // checked the very same ones against all of its ranks.
  const int workers = job.joiner || job.size == 1 ? 1 : job.size - 1;
  j.cfg.validate(workers);
  j.elastic = elastic_config_from(vm);
  if (j.elastic && vm["checkpoint-sync"].as<bool>()) {
    throw InputError("--checkpoint-sync does not apply to an elastic run (its checkpoints are "
                     "always written before training goes on)");
  }
  if (job.joiner && !j.elastic) throw InputError("a spawned process joins an elastic run only");
  if (j.elastic) {
    elastic::validate(*j.elastic, j.cfg, job.joiner ? 1 : job.size - 1);
    // What a joiner runs: this very command (join.hpp).
    j.elastic->program = std::filesystem::read_symlink("/proc/self/exe").string();
    j.elastic->program_args = {"train"};
    for (int i = 1; i < argc; ++i) j.elastic->program_args.emplace_back(argv[i]);
  }
  j.backend = backend_from(vm, job, j.elastic.has_value());
  // With checkpoints on, a signal from now on is a request the steps (an
  // elastic run: the intervals) answer (signals.hpp); without (nothing to
  // resume from) the plain stop stays.
  if (!j.cfg.checkpoints.dir.empty()) take_signals_as_requests();
  j.plot = plot_path_from(vm);
  if (j.plot && !j.elastic) throw InputError("--plot draws an elastic run's --timeline (--elastic or --trace)");
  job.stall_seconds = j.cfg.stall_seconds;
  // The metrics file and the elastic timeline are written at the end (by rank
  // 0); their paths are checked now, against each other and every input.
  auto outputs = check_outputs(vm, {"data", "val-data", "trace", "profile"},
                               {{"metrics"}, {"timeline"}, {"exit-file"}});
  if (vm.count("exit-file")) {
    // Rank 0 writes the job's code; a worker only when it sees rank 0 die (exit_file.hpp).
    const auto& path = vm["exit-file"].as<std::string>();
    if (job.speaks()) {
      runtime::set_exit_file(path);
    } else {
      runtime::set_orphan_exit_file(path);
    }
  }
  outputs.input("--val-data", j.cfg.val_path);
  apply_threads_option(vm);
  j.data = runtime::load_train_data(j.cfg);
  const std::string resume = vm.count("resume") ? vm["resume"].as<std::string>() : "";
  // A spawned process joins a running job: its state comes from live holders,
  // and the run's folder holds that job's checkpoints (no fresh start to refuse).
  if (!j.cfg.checkpoints.dir.empty() && !(job.joiner && resume.empty())) {
    const auto start = runtime::resolve_start(j.cfg, resume);
    j.cfg.start = start.start;
    j.start_said = start.said;
    j.warnings = start.warnings;
    if (j.elastic && !j.cfg.start.step_dir.empty()) j.elastic->start_at = trace_position_of(j);
    // The folder is made and tried once, on rank 0 (the others agree on its failure).
    if (job.speaks()) ckpt::check_writable(runtime::checkpoint_run_dir(j.cfg), 0);
  }
  return j;
}

void say_warnings(const Job& j) {
  for (const auto& w : j.warnings) std::cerr << "parcae train: warning: " << w << "\n";
}

void say_stopped(std::int64_t steps_done, int steps) {
  std::cerr << "parcae train: stopped after step " << steps_done << "/" << steps
            << " as asked; exit " << kExitRequeue << " (requeue me)\n";
}

int train(const MpiJob& job, const Job& j) {
  const auto& cfg = j.cfg;
  if (j.elastic) {
    if (job.speaks()) {
      say_warnings(j);
      if (!j.start_said.empty()) std::cerr << "parcae train: " << j.start_said << "\n";
    }
    const auto summary =
        elastic::run_elastic_job(cfg, *j.elastic, j.data, std::cerr, take_signal_request);
    if (job.speaks() && j.plot) plot_timeline(j.elastic->timeline_path, *j.plot, std::cerr);
    if (!summary.stopped) return 0;
    if (job.speaks()) say_stopped(summary.steps_done, cfg.steps);
    return kExitRequeue;
  }
  if (job.rank == 0) {
    say_warnings(j);
    if (job.size > 1) {
      std::cerr << "parcae train: " << cfg.model.describe() << ", " << cfg.dp << "x" << cfg.pp
                << " on " << job.size - 1 << " workers, global batch " << cfg.global_batch
                << (j.start_said.empty() ? "" : "; " + j.start_said) << "\n";
    } else if (!j.start_said.empty()) {
      std::cerr << "parcae train: " << j.start_said << "\n";
    }
    if (cfg.start.step >= cfg.steps) {
      std::cerr << "parcae train: the run is at step " << cfg.start.step << " of --steps "
                << cfg.steps << ": nothing to train\n";
    }
  }
  if (j.backend->device() != compute::Device::cpu) {
    std::cerr << "parcae train: " << (job.size > 1 ? "rank " + std::to_string(job.rank) : "the job")
              << " computes on " << j.backend->describe() << "\n";
  }
  const bool saving = !cfg.checkpoints.dir.empty();
  const runtime::JobControl control{
      .requests = take_signal_request,
      .schedule = {.every_steps = cfg.checkpoints.every_steps,
                   .every_seconds = cfg.checkpoints.every_seconds,
                   .at_end = saving}};
  const auto outcome = runtime::run_training_job(cfg, j.data, std::cerr, control, *j.backend);
  if (!outcome.stopped) return 0;
  if (!outcome.steps.empty()) say_stopped(outcome.steps.back().step + 1, cfg.steps);
  return kExitRequeue;
}

}  // namespace

int run_train(int argc, char** argv) {
  return run_mpi_command(
      argc, argv, [&](MpiJob& job) { return setup(argc, argv, job); },
      [](const MpiJob& job, const Job& j) {
        const int code = train(job, j);
        runtime::write_exit_file(code);  // set on rank 0 only
        return code;
      });
}

}  // namespace parcae::cli
