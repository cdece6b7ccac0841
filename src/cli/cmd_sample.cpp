// parcae sample: text from a trained model (a checkpoint), one token at a
// time through the KV-cache decoder, printed as it is drawn.
#include <cstdio>
#include <iostream>
#include <string>

#include "command.hpp"
#include "device_option.hpp"
#include "number_option.hpp"
#include "parcae/compute/decoder.hpp"
#include "parcae/sample/generate.hpp"
#include "parcae/sample/load_model.hpp"
#include "parcae/sample/token_text.hpp"

namespace parcae::cli {

namespace {

sample::TokenText token_text_from(const po::variables_map& vm, int vocab) {
  if (vm.count("tokenizer"))
    return sample::TokenText::from_llmc_tokenizer(vm["tokenizer"].as<std::string>(), vocab);
  return sample::TokenText::for_vocab(vocab);
}

}  // namespace

int run_sample(int argc, char** argv) {
  po::options_description options("parcae sample options");
  options.add_options()
      ("checkpoint", po::value<std::string>()->value_name("PATH")->required(),
       "a checkpoint folder (step-NNNNNNNN), or a run folder: its newest complete checkpoint")
      ("prompt", po::value<std::string>()->value_name("TEXT")->default_value(""),
       "text to continue (a byte-level model); comma-separated token ids for other "
       "vocabularies. Empty: start from a newline (bytes) or end-of-text (GPT-2)")
      ("tokens", number(closed(0, 1'000'000))->default_value(256), "tokens to generate")
      ("temperature", number(closed(0.0, 100.0))->default_value(1.0),
       "softmax temperature; 0 = greedy (always the likeliest token)")
      ("top-k", number(closed(0, 1'000'000))->default_value(0),
       "draw only among the k likeliest tokens; 0 = all, 1 = greedy")
      ("seed", number(closed<std::uint64_t>(0, UINT64_MAX))->default_value(42),
       "the sampler's seed: same seed, same text")
      ("tokenizer", po::value<std::string>()->value_name("FILE"),
       "llm.c's gpt2_tokenizer.bin, to print a GPT-2 model's tokens as text (else as ids)");
  add_threads_option(options);
  add_device_option(options, "cpu");
  po::variables_map vm;
  if (!parse_command_line(argc, argv,
                          "usage: parcae sample --checkpoint PATH [--prompt TEXT] [--tokens N]\n"
                          "                     [--temperature T] [--top-k K] [--seed S]\n"
                          "Generates text from a trained model; the text goes to standard output.",
                          options, {}, vm))
    return 0;
  apply_threads_option(vm);
  const sample::LoadedModel loaded = sample::load_model(vm["checkpoint"].as<std::string>());
  const model::GptConfig& cfg = loaded.manifest.model;
  const sample::TokenText text = token_text_from(vm, cfg.vocab);
  std::vector<int> prompt = text.encode(vm["prompt"].as<std::string>());
  const bool printed_prompt = !prompt.empty();
  if (prompt.empty()) prompt.push_back(text.start_token());

  compute::Backend& backend = backend_from_device_option(vm);
  compute::Decoder decoder(cfg, loaded.shards, backend);
  std::cerr << "parcae sample: " << loaded.step_dir.string() << " (step " << loaded.manifest.step
            << ", " << cfg.describe() << "), " << text.describe() << ", on "
            << backend.describe() << "\n";

  sample::GenerationOptions generation;
  generation.sampling = {vm["temperature"].as<double>(), vm["top-k"].as<int>()};
  generation.tokens = vm["tokens"].as<int>();
  generation.seed = vm["seed"].as<std::uint64_t>();
  if (printed_prompt)
    for (const int t : prompt) std::cout << text.decode(t);
  std::cout.flush();
  sample::generate(decoder, prompt, generation, [&](int token) {
    std::cout << text.decode(token);
    std::cout.flush();  // the text appears as it is drawn
  });
  std::cout << "\n";
  return 0;
}

}  // namespace parcae::cli
