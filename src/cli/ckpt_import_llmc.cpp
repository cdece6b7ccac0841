// parcae ckpt import-llmc FILE --out DIR: llm.c's GPT-2 weights (gpt2_124M.bin)
// become a parcae checkpoint, DIR/step-00000000, that training resumes from and
// `parcae sample` reads (see ckpt/llmc_weights.hpp for the mapping).
#include <iostream>

#include "command.hpp"
#include "parcae/ckpt/catalog.hpp"
#include "parcae/ckpt/checkpoint.hpp"
#include "parcae/ckpt/llmc_weights.hpp"
#include "parcae/ckpt/paths.hpp"
#include "parcae/error.hpp"

namespace parcae::cli {

int ckpt_import_llmc(int argc, char** argv) {
  po::options_description options("parcae ckpt import-llmc options");
  options.add_options()
      ("file", po::value<std::string>()->value_name("FILE")->required(),
       "llm.c GPT-2 weights (float32, version 3 or 1), e.g. gpt2_124M.bin")
      ("out", po::value<std::string>()->value_name("DIR")->required(),
       "run folder to write the checkpoint into (as step-00000000)");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (!parse_command_line(argc, argv,
                          "usage: parcae ckpt import-llmc FILE --out DIR\n"
                          "Converts llm.c's GPT-2 weights into a parcae checkpoint: the untied LM\n"
                          "head starts as a copy of the token embedding, AdamW moments at zero.",
                          options, positional, vm))
    return 0;
  const std::string file = vm["file"].as<std::string>();
  const std::filesystem::path out = vm["out"].as<std::string>();
  const ckpt::LlmcWeights weights = ckpt::read_llmc_weights(file);
  const auto step_dir = ckpt::step_dir(out, 0);
  std::error_code ec;
  if (std::filesystem::exists(step_dir, ec))
    throw InputError("--out: " + step_dir.string() +
                     " already exists; parcae never overwrites a checkpoint");
  std::int64_t floats = 0;
  for (const auto& s : weights.shards) floats += static_cast<std::int64_t>(s.param.size());
  ckpt::check_writable(out, 3 * 4 * floats);  // parameters and two moments, float32

  ckpt::Manifest manifest;
  manifest.model = weights.config;
  manifest.training = {{"imported_from", file},
                       {"format", "llm.c GPT-2 weights, version " +
                                      std::to_string(weights.version)}};
  ckpt::write_checkpoint(step_dir, manifest, weights.shards);
  std::cout << step_dir.string() << ": " << weights.config.describe() << ", " << floats
            << " parameters from " << file << "\n";
  return 0;
}

}  // namespace parcae::cli
