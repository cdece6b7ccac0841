#pragma once
// The pieces every subcommand shares: option parsing with --help and
// --config FILE (an INI file of the same long options), and the table of
// subcommands that main() dispatches on.
#include <initializer_list>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "parcae/util/outputs.hpp"

namespace parcae::cli {

namespace po = boost::program_options;

// A subcommand receives its own arguments (argv[0] is "parcae CMD").
using CommandFn = int (*)(int argc, char** argv);

struct Command {
  const char* name;
  const char* summary;
  CommandFn run;
};

const std::vector<Command>& commands();

// Parses argc/argv into `vm` with `options` (plus --help and --config, which
// this adds). `positional` may be empty. Returns false when --help was asked
// for: the usage has been printed and the command should return 0. Bad
// options throw po::error or InputError, which main() turns into exit code 2.
bool parse_command_line(int argc, char** argv, const std::string& usage,
                        po::options_description& options,
                        const po::positional_options_description& positional,
                        po::variables_map& vm);

// The same for commands under mpirun: every rank parses (and fails) alike,
// only `rank` 0 prints the help.
bool parse_command_line_on_rank(int rank, int argc, char** argv, const std::string& usage,
                                po::options_description& options, po::variables_map& vm);

// The command's file outputs, checked before any work (util::Outputs): the
// path options it reads (`inputs`, with --config) may not be overwritten, and
// each output option that is set is declared under "--NAME" (standard output
// for "-" where `stdout_allowed`). Throws InputError naming the option.
struct OutputOption {
  const char* name;
  bool stdout_allowed = false;
};
util::Outputs check_outputs(const po::variables_map& vm, std::initializer_list<const char*> inputs,
                            std::initializer_list<OutputOption> outputs);

// A command made of actions (`parcae trace show|gen|fit`): prints `usage`
// for --help (exit 0) or no action (exit 2), runs the action named by argv[1]
// with argv[0] = "parcae COMMAND ACTION", and throws InputError naming the
// choices for an unknown one.
struct Action {
  const char* name;
  CommandFn run;
};
int run_action(int argc, char** argv, const std::string& command, const std::string& usage,
               std::initializer_list<Action> actions);

// --threads N: OpenMP and OpenBLAS threads of this process, in [1, cores];
// applied (with OMP_NUM_THREADS as the default) by apply_threads_option.
void add_threads_option(po::options_description& options);
int apply_threads_option(const po::variables_map& vm);

// Subcommands (one file each: cmd_<name>.cpp).
int run_trace(int argc, char** argv);
int run_predict(int argc, char** argv);
int run_data(int argc, char** argv);
int run_train(int argc, char** argv);
int run_profile(int argc, char** argv);
int run_sample(int argc, char** argv);
int ckpt_import_llmc(int argc, char** argv);  // ckpt_import_llmc.cpp: parcae ckpt import-llmc
int run_plan(int argc, char** argv);
int run_simulate(int argc, char** argv);
int run_bench(int argc, char** argv);
int run_ckpt(int argc, char** argv);
int bench_pipeline(int argc, char** argv);  // bench_pipeline.cpp
int bench_migrate(int argc, char** argv);   // bench_migrate.cpp
int bench_gemm(int argc, char** argv);      // bench_model.cpp
int bench_decode(int argc, char** argv);    // bench_decode.cpp
int bench_step(int argc, char** argv);      // bench_model.cpp
int bench_optimizer(int argc, char** argv); // bench_optimizer.cpp
int bench_ckpt(int argc, char** argv);      // bench_ckpt.cpp
}  // namespace parcae::cli

namespace parcae::liveput { class CostModel; struct TransitionOptions; }

namespace parcae::cli {
// The cost-model options shared by plan, simulate and bench (cmd_simulate.cpp).
void add_cost_model_options(po::options_description& options);
liveput::CostModel cost_model_from(const po::variables_map& vm);
// --optimizer: which targets the optimizer weighs (target_pruning.hpp).
liveput::TransitionOptions transition_options_from(const po::variables_map& vm);

// Bounds on the liveput planner's work, checked before it starts. Measured
// here: 330 configurations take 33 ms per decision and 2.5 KB per pair of
// them; 2000 instances (47 configurations) 0.4 s per decision; a cost model
// of 4096 layers 1 GB. At most this many instances, (D, P) configurations
// within them, and layers in a cost model.
inline constexpr int kMaxPlannedInstances = 2048;
inline constexpr long kMaxPlannedConfigurations = 512;
// The scaled optimizer (--optimizer scaled, or auto past 64 instances): 512
// instances of a 50-layer model give ~2 300 configurations.
inline constexpr long kMaxScaledConfigurations = 4096;
inline constexpr int kMaxCostModelLayers = 2048;
// Throws InputError when planning over `nodes` instances would pass them.
void check_planning_size(const liveput::CostModel& model, int nodes,
                         const liveput::TransitionOptions& options);

}  // namespace parcae::cli
