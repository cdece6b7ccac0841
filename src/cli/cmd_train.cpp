// parcae train: a training job. Under `mpirun -np 1+W`, rank 0 coordinates and
// ranks 1..W train as D replicas x P stages (the rest parked); started alone,
// the one process plays both roles.
#include <mpi.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "command.hpp"
#include "mpi_session.hpp"
#include "parcae/error.hpp"
#include "parcae/kernels/threads.hpp"
#include "parcae/runtime/trainer.hpp"

namespace parcae::cli {
namespace {

using runtime::TrainConfig;

void add_options(po::options_description& o) {
  const TrainConfig d;
  o.add_options()("model", po::value<std::string>()->default_value("small"),
                  "tiny | small | gpt2-124m")("micro-batch", po::value<int>()->default_value(4),
                                              "sequences per micro-batch (B)")(
      "seq", po::value<int>(), "context length T (default: the model's)")(
      "channels", po::value<int>(), "override the preset's channels C")(
      "layers", po::value<int>(), "override the preset's transformer blocks L")(
      "heads", po::value<int>(), "override the preset's attention heads H (must divide C)")(
      "data", po::value<std::string>(),
      "training token file (parcae data prepare); default: built-in synthetic corpus")(
      "val-data", po::value<std::string>(),
      "validation token file (default: DATA with .val.bin, if it exists)")(
      "steps", po::value<int>()->default_value(50), "optimizer steps")(
      "global-batch", po::value<int>()->default_value(8),
      "sequences per optimizer step (G), whatever D and P are")(
      "lr", po::value<double>()->default_value(1e-3), "peak learning rate")(
      "min-lr", po::value<double>(), "final learning rate of the cosine decay (default lr/10)")(
      "warmup", po::value<int>()->default_value(10), "linear warmup steps")(
      "weight-decay", po::value<double>()->default_value(0.1), "AdamW decoupled weight decay")(
      "beta1", po::value<double>()->default_value(d.adamw.beta1), "AdamW beta1")(
      "beta2", po::value<double>()->default_value(d.adamw.beta2), "AdamW beta2")(
      "grad-clip", po::value<double>()->default_value(d.grad_clip),
      "global gradient-norm clip (0 = off)")("seed",
                                             po::value<std::uint64_t>()->default_value(d.seed),
                                             "initialisation and data-order seed")(
      "dp", po::value<int>()->default_value(1), "data-parallel replicas (D)")(
      "pp", po::value<int>()->default_value(1), "pipeline stages (P)")(
      "threads", po::value<int>(), "threads per rank (default: OMP_NUM_THREADS)")(
      "log-every", po::value<int>()->default_value(d.log_every), "progress line every N steps")(
      "eval-every", po::value<int>()->default_value(d.eval_every),
      "validation loss every N steps (0 = at the end)")(
      "eval-batches", po::value<int>()->default_value(d.eval_batches),
      "micro-batches per validation")("metrics", po::value<std::string>(),
                                      "write metrics as JSON Lines to FILE");
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
    } else if (!guess.empty() && std::ifstream(guess).good()) {
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
  c.adamw.weight_decay = static_cast<float>(vm["weight-decay"].as<double>());
  c.adamw.beta1 = static_cast<float>(vm["beta1"].as<double>());
  c.adamw.beta2 = static_cast<float>(vm["beta2"].as<double>());
  c.grad_clip = vm["grad-clip"].as<double>();
  c.seed = vm["seed"].as<std::uint64_t>();
  c.dp = vm["dp"].as<int>();
  c.pp = vm["pp"].as<int>();
  c.log_every = vm["log-every"].as<int>();
  c.eval_every = vm["eval-every"].as<int>();
  c.eval_batches = vm["eval-batches"].as<int>();
  if (vm.count("metrics")) c.metrics_path = vm["metrics"].as<std::string>();
  return c;
}

int train(const TrainConfig& cfg, const runtime::TrainData& data, int rank, int size) {
  if (rank == 0 && size > 1) {
    std::cerr << "parcae train: " << cfg.model.describe() << ", " << cfg.dp << "x" << cfg.pp
              << " on " << size - 1 << " workers, global batch " << cfg.global_batch << "\n";
  }
  runtime::run_job(cfg, data, std::cerr);
  return 0;
}

}  // namespace

int run_train(int argc, char** argv) {
  MpiSession mpi(&argc, &argv);
  const int rank = mpi.rank(), size = mpi.size();
  TrainConfig cfg;
  runtime::TrainData data;
  // Every rank parses and validates the same way before any communication, so
  // bad input makes all of them exit 2 together; only rank 0 says why.
  try {
    po::options_description options("parcae train options");
    add_options(options);
    po::variables_map vm;
    if (!parse_command_line_on_rank(rank, argc, argv,
                                    "usage: [mpirun -np 1+D*P] parcae train [--model small] "
                                    "[--data FILE.bin] [--dp D --pp P] ...\n"
                                    "Trains a GPT model; rank 0 coordinates, ranks 1.. train "
                                    "(alone, one process does both).",
                                    options, vm)) {
      return 0;
    }
    cfg = config_from(vm);
    cfg.validate(size == 1 ? 1 : size - 1);
    kernels::set_threads(vm.count("threads") ? std::optional(vm["threads"].as<int>())
                                              : std::nullopt);
    data = runtime::load_train_data(cfg);
  } catch (const InputError& e) {
    if (rank == 0) std::cerr << "parcae: " << e.what() << "\n";
    return 2;
  } catch (const po::error& e) {
    if (rank == 0) std::cerr << "parcae: " << e.what() << " (see --help)\n";
    return 2;
  }
  try {
    return train(cfg, data, rank, size);
  } catch (const std::exception& e) {
    std::cerr << "parcae: rank " << rank << ": " << e.what() << "\n";
    MPI_Abort(MPI_COMM_WORLD, 1);  // the other ranks would wait for this one forever
    return 1;
  }
}

}  // namespace parcae::cli
