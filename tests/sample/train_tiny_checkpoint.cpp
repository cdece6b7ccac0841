// A test's model to sample from: the tiny model trained briefly on a text
// (byte-level) by one process, its shards saved through the checkpoint store
// as step-NNNNNNNN under a run folder. What `parcae train --checkpoint-dir`
// writes, without a trainer: the sample tests need only a checkpoint.
//   usage: train_tiny_checkpoint TEXT RUN_DIR STEPS
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "parcae/ckpt/checkpoint.hpp"
#include "parcae/ckpt/paths.hpp"
#include "parcae/compute/stage.hpp"
#include "parcae/data/batches.hpp"
#include "parcae/data/corpus.hpp"

int main(int argc, char** argv) {
  using namespace parcae;
  if (argc != 4) {
    std::cerr << "usage: train_tiny_checkpoint TEXT RUN_DIR STEPS\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  const data::TokenData corpus = data::encode_bytes(text.str(), argv[1]);
  const int steps = std::atoi(argv[3]);
  const std::uint64_t seed = 3;

  const model::GptConfig cfg = model::GptConfig::preset("tiny");
  const int B = 8, T = cfg.seq_len;
  compute::Stage stage(cfg, 0, cfg.num_layers(), seed);
  auto acts = stage.make_activations(B, T);
  std::vector<int> inputs(B * T), targets(B * T);
  kernels::AdamW hp;
  hp.lr = 3e-3f;
  double loss = 0;
  for (int step = 0; step < steps; ++step) {
    data::fill_batch(corpus, seed, step, 0, B, T, inputs, targets);
    stage.zero_grads();
    loss = stage.forward(acts, {inputs.data(), targets.data(), B, T}, nullptr);
    stage.backward(acts, nullptr, nullptr, 1.0f / (B * T), nullptr);
    stage.adamw_step(hp);
  }
  std::vector<model::Shard> shards;
  for (int l = 0; l < cfg.num_layers(); ++l) shards.push_back(stage.copy_shard(l));
  ckpt::Manifest manifest;
  manifest.model = cfg;
  manifest.step = steps;
  manifest.tokens_seen = std::int64_t{steps} * B * T;
  manifest.seed = seed;
  ckpt::write_checkpoint(ckpt::step_dir(argv[2], steps), manifest, shards);
  std::cout << "trained " << steps << " steps, last loss " << loss << "\n";
  return 0;
}
