// parcae ckpt ls|inspect|verify PATH: look at checkpoints without training.
// PATH is one checkpoint (a step folder), a run folder or a checkpoint dir;
// each action covers every complete checkpoint under it and exits 2 when
// there is none. `ckpt init` writes the freshly initialised state of a model
// as a checkpoint (a fixed starting point, and what the tests damage).
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "number_option.hpp"
#include "parcae/ckpt/catalog.hpp"
#include "parcae/ckpt/checkpoint.hpp"
#include "parcae/ckpt/paths.hpp"
#include "parcae/error.hpp"
#include "parcae/util/checksum.hpp"

namespace parcae::cli {
namespace {

namespace fs = std::filesystem;
using ckpt::Manifest;

struct Target {
  ckpt::Found found;
  bool json = false;
};

// Parses `ACTION PATH [--json]` and finds the checkpoints; nullopt after --help.
std::optional<Target> target(int argc, char** argv, const std::string& usage) {
  po::options_description options("options");
  options.add_options()
      ("path", po::value<std::string>()->value_name("PATH")->required(),
       "a checkpoint (step folder), a run folder or a checkpoint dir")
      ("json", po::bool_switch(), "print JSON");
  po::positional_options_description positional;
  positional.add("path", 1);
  po::variables_map vm;
  if (!parse_command_line(argc, argv, usage, options, positional, vm)) return std::nullopt;
  Target t{ckpt::find_checkpoints(vm["path"].as<std::string>()), vm["json"].as<bool>()};
  if (t.found.complete.empty()) {
    throw InputError(vm["path"].as<std::string>() + ": no complete checkpoint (" +
                     std::to_string(t.found.incomplete.size()) +
                     " incomplete folder(s), which are never loaded)");
  }
  return t;
}

std::string megabytes(std::int64_t bytes) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << bytes / 1e6 << " MB";
  return s.str();
}

int run_ls(int argc, char** argv) {
  const auto t = target(argc, argv,
                        "usage: parcae ckpt ls PATH [--json]\n"
                        "Lists the checkpoints under PATH, complete and incomplete.");
  if (!t) return 0;
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& c : t->found.complete) {
    nlohmann::json row = {{"dir", c.dir.string()}, {"complete", true}};
    try {
      const Manifest m = ckpt::read_manifest(c.dir);
      row.update({{"step", m.step},
                  {"model", m.model.describe()},
                  {"layout", std::to_string(m.layout.dp) + "x" + std::to_string(m.layout.pp)},
                  {"shards", m.shards.size()},
                  {"bytes", m.bytes()},
                  {"created", m.created}});
    } catch (const InputError& e) {
      row["error"] = e.what();
    }
    rows.push_back(row);
  }
  for (const auto& c : t->found.incomplete) {
    rows.push_back({{"dir", c.dir.string()}, {"complete", false}, {"step", c.step}});
  }
  if (t->json) {
    std::cout << rows.dump(2) << "\n";
    return 0;
  }
  for (const auto& r : rows) {
    std::cout << r["dir"].get<std::string>() << "  ";
    if (!r["complete"].get<bool>()) {
      std::cout << "incomplete (no manifest: never loaded)\n";
    } else if (r.contains("error")) {
      std::cout << "unreadable manifest: " << r["error"].get<std::string>() << "\n";
    } else {
      std::cout << "step " << r["step"] << ", " << r["model"].get<std::string>() << ", "
                << r["shards"] << " shards, " << megabytes(r["bytes"].get<std::int64_t>())
                << ", written by " << r["layout"].get<std::string>() << " at "
                << r["created"].get<std::string>() << "\n";
    }
  }
  return 0;
}

void print_manifest(std::ostream& out, const fs::path& dir, const Manifest& m) {
  out << dir.string() << "\n"
      << "  step " << m.step << ", " << m.tokens_seen << " tokens seen, seed " << m.seed << "\n"
      << "  model " << m.model.describe() << "\n"
      << "  written by D=" << m.layout.dp << " x P=" << m.layout.pp << " on " << m.layout.workers
      << " workers, parcae " << m.program_version << ", " << m.created << "\n"
      << "  " << m.shards.size() << " shards, " << megabytes(m.bytes()) << "\n";
  for (const auto& s : m.shards) {
    out << "    " << s.file << std::setw(14) << s.bytes << " bytes  step " << s.step << "  xxh3 "
        << util::checksum_hex(s.checksum) << "\n";
  }
}

int run_inspect(int argc, char** argv) {
  const auto t = target(argc, argv,
                        "usage: parcae ckpt inspect PATH [--json]\n"
                        "Prints the manifest of every complete checkpoint under PATH.");
  if (!t) return 0;
  nlohmann::json all = nlohmann::json::array();
  for (const auto& c : t->found.complete) {
    const Manifest m = ckpt::read_manifest(c.dir);
    if (t->json) {
      all.push_back({{"dir", c.dir.string()}, {"manifest", ckpt::manifest_to_json(m)}});
    } else {
      print_manifest(std::cout, c.dir, m);
    }
  }
  if (t->json) std::cout << all.dump(2) << "\n";
  return 0;
}

int run_verify(int argc, char** argv) {
  const auto t = target(argc, argv,
                        "usage: parcae ckpt verify PATH [--json]\n"
                        "Reads every shard of every complete checkpoint under PATH and checks\n"
                        "each checksum against the data and the manifest. Exit 0 when all are\n"
                        "whole, 2 when one is damaged (named).");
  if (!t) return 0;
  nlohmann::json all = nlohmann::json::array();
  int damaged = 0;
  for (const auto& c : t->found.complete) {
    const auto v = ckpt::verify_checkpoint(c.dir);
    damaged += v.ok() ? 0 : 1;
    all.push_back({{"dir", c.dir.string()}, {"step", v.step}, {"ok", v.ok()},
                   {"bytes", v.bytes}, {"problems", v.problems}});
    if (t->json) continue;
    std::cout << (v.ok() ? "ok       " : "DAMAGED  ") << c.dir.string();
    if (v.ok()) std::cout << "  (" << megabytes(v.bytes) << " checked)";
    std::cout << "\n";
    for (const auto& p : v.problems) std::cout << "  " << p << "\n";
  }
  if (t->json) std::cout << all.dump(2) << "\n";
  if (damaged > 0) {
    std::cerr << "parcae: ckpt verify: " << damaged << " of " << t->found.complete.size()
              << " checkpoint(s) damaged\n";
    return 2;
  }
  return 0;
}

int run_init(int argc, char** argv) {
  po::options_description options("parcae ckpt init options");
  options.add_options()
      ("model", po::value<std::string>()->default_value("small"), "tiny | small | gpt2-124m")
      ("checkpoint-dir", po::value<std::string>()->default_value("checkpoints"), "checkpoint dir")
      ("run", po::value<std::string>()->default_value("default"), "run name (a folder of it)")
      ("step", number(closed<std::int64_t>(0, ckpt::kMaxStep))->default_value(0),
       "the step to label it with")
      ("seed", number(closed<std::uint64_t>(0, UINT64_MAX))->default_value(1337),
       "initialisation seed");
  po::variables_map vm;
  if (!parse_command_line(argc, argv,
                          "usage: parcae ckpt init [--model small] [--checkpoint-dir D] [--run R]\n"
                          "Writes a model's freshly initialised state (GPT-2 init, zero moments)\n"
                          "as a complete checkpoint <D>/<R>/step-<N>.",
                          options, {}, vm)) {
    return 0;
  }
  Manifest m;
  m.model = model::GptConfig::preset(vm["model"].as<std::string>());
  m.step = vm["step"].as<std::int64_t>();
  m.seed = vm["seed"].as<std::uint64_t>();
  const fs::path run = ckpt::run_dir(vm["checkpoint-dir"].as<std::string>(), vm["run"].as<std::string>());
  const fs::path dir = ckpt::step_dir(run, m.step);
  std::int64_t floats = 0;
  for (const auto n : model::layer_sizes(m.model)) floats += n;
  ckpt::check_writable(run, 3 * 4 * floats);
  if (fs::exists(dir)) throw InputError(dir.string() + ": exists already (never overwritten)");
  std::vector<model::Shard> shards;
  for (int l = 0; l < m.model.num_layers(); ++l) shards.push_back(model::make_shard(m.model, l, m.seed));
  m = ckpt::write_checkpoint(dir, m, shards);
  std::cout << dir.string() << ": " << m.shards.size() << " shards, " << megabytes(m.bytes()) << "\n";
  return 0;
}

}  // namespace

int run_ckpt(int argc, char** argv) {
  const std::string usage =
      "usage: parcae ckpt ls|inspect|verify|init|import-llmc [PATH] [--json]   (parcae ckpt ACTION --help)\n"
      "  ls PATH       the checkpoints under PATH (a step folder, a run or a checkpoint dir)\n"
      "  inspect PATH  their manifests: model, step, layout, shards and checksums\n"
      "  verify PATH   check every shard's checksums (exit 2 naming a damaged one)\n"
      "  init          write a freshly initialised model as a checkpoint\n"
      "  import-llmc FILE --out DIR   llm.c's GPT-2 weights (gpt2_124M.bin) as a checkpoint";
  return run_action(argc, argv, "ckpt", usage, {{"ls", run_ls}, {"inspect", run_inspect}, {"verify", run_verify}, {"init", run_init},
                     {"import-llmc", ckpt_import_llmc}});
}

}  // namespace parcae::cli
