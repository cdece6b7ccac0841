// parcae bench decode: what the KV cache buys generation. Times N tokens fed
// one at a time through compute::Decoder (each costs one position) against
// the baseline a cache-less generator pays, a full forward over the whole
// context for every token (Stage::forward of length t for token t), in the
// same process, with the same threads and backend. The baseline is sampled at
// `--lengths` evenly spaced context lengths, each standing for its share of
// the N tokens (the cost grows smoothly with t).
#include <algorithm>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "device_option.hpp"
#include "number_option.hpp"
#include "parcae/compute/decoder.hpp"
#include "parcae/compute/stage.hpp"
#include "parcae/error.hpp"
#include "parcae/rng.hpp"
#include "parcae/util/stopwatch.hpp"

namespace parcae::cli {

namespace {

struct DecodeTimes {
  double cached_s = 0;     // N steps through the KV cache
  double recompute_s = 0;  // N full forwards over the growing context (estimated)
};

DecodeTimes time_decoding(const model::GptConfig& cfg, const std::vector<model::Shard>& shards,
                          const std::vector<int>& tokens, int lengths,
                          compute::Backend& backend) {
  const int N = static_cast<int>(tokens.size());
  DecodeTimes times;
  compute::Decoder decoder(cfg, shards, backend);
  decoder.step(tokens[0]);  // warm-up: first touches of the buffers
  decoder.reset();
  const util::Stopwatch cached;
  for (const int t : tokens) decoder.step(t);
  times.cached_s = cached.seconds();

  compute::Stage stage(cfg, shards, backend);
  const std::vector<int> targets(tokens.size(), 0);
  for (int i = 1; i <= lengths; ++i) {
    const int len = std::max(1, N * i / lengths);
    auto acts = stage.make_activations(1, len);
    const util::Stopwatch forward;
    stage.forward(acts, {tokens.data(), targets.data(), 1, len}, nullptr);
    times.recompute_s += forward.seconds() * N / lengths;
  }
  return times;
}

}  // namespace

int bench_decode(int argc, char** argv) {
  po::options_description options("Options");
  options.add_options()
      ("model", po::value<std::string>()->default_value("small"), "preset: tiny, small or gpt2-124m")
      ("tokens", number(closed(0, 1'000'000))->default_value(0),
       "tokens to generate (0: the model's whole context)")
      ("lengths", number(closed(1, 64))->default_value(8),
       "context lengths the full-forward baseline is timed at")
      ("json", "print the figures as one JSON object");
  add_threads_option(options);
  add_device_option(options, "cpu");
  po::variables_map vm;
  if (!parse_command_line(argc, argv,
                          "usage: parcae bench decode [--model M] [--tokens N] [--device cpu|cuda] "
                          "[--json]\n"
                          "Generation through the KV cache vs a full forward per token.",
                          options, {}, vm))
    return 0;
  const int threads = apply_threads_option(vm);
  const model::GptConfig cfg = model::GptConfig::preset(vm["model"].as<std::string>());
  const int N = vm["tokens"].as<int>() == 0 ? cfg.seq_len : vm["tokens"].as<int>();
  if (N > cfg.seq_len)
    throw InputError("--tokens " + std::to_string(N) + " exceeds the model's context of " +
                     std::to_string(cfg.seq_len));
  compute::Backend& backend = backend_from_device_option(vm);
  std::vector<model::Shard> shards;
  for (int l = 0; l < cfg.num_layers(); ++l) shards.push_back(model::make_shard(cfg, l, 1));
  std::vector<int> tokens(static_cast<std::size_t>(N));
  Rng rng(7);
  for (auto& t : tokens) t = static_cast<int>(rng.below(cfg.vocab));

  const DecodeTimes times = time_decoding(cfg, shards, tokens, vm["lengths"].as<int>(), backend);
  double load = -1;
  getloadavg(&load, 1);
  const nlohmann::json j = {{"model", vm["model"].as<std::string>()},
                            {"config", cfg.describe()},
                            {"tokens", N},
                            {"threads", threads},
                            {"device", backend.describe()},
                            {"cached_s", times.cached_s},
                            {"cached_ms_per_token", times.cached_s * 1e3 / N},
                            {"recompute_s", times.recompute_s},
                            {"ratio", times.recompute_s / times.cached_s},
                            {"load_average", load}};
  if (vm.count("json")) {
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::cout << std::fixed << std::setprecision(2) << "decode " << j["model"].get<std::string>()
            << " (" << cfg.describe() << ") on " << backend.describe() << ", " << N
            << " tokens: KV cache " << times.cached_s << " s (" << times.cached_s * 1e3 / N
            << " ms a token); a full forward per token " << times.recompute_s << " s; ratio "
            << times.recompute_s / times.cached_s << "x (load " << load << ")\n";
  return 0;
}

}  // namespace parcae::cli
