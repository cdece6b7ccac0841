// init_layer draws its normals' random bits in order and transforms them in
// parallel (src/model/init.cpp): the weights must be exactly those of one
// sequential Rng::normal() stream per layer, whatever the thread count.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>
#include <omp.h>

#include "parcae/model/init.hpp"
#include "parcae/rng.hpp"

namespace parcae::model {
namespace {

// The plain sequential definition: tensor by tensor, element by element, one
// Rng::normal() per drawn weight (the layer's stream seeded as init.cpp does).
std::vector<float> sequential_init(const GptConfig& cfg, const LayerSpec& spec, std::uint64_t seed) {
  Rng rng(seed ^ (0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(spec.index + 1)));
  const double residual_std = 0.02 / std::sqrt(2.0 * cfg.layers);
  std::vector<float> w(spec.size);
  for (const auto& t : spec.tensors) {
    std::int64_t live = t.size;
    if (t.name == "wte" || t.name == "lm_head.weight") live = std::int64_t{cfg.vocab} * t.shape[1];
    for (std::int64_t i = 0; i < t.size; ++i) {
      float& x = w[t.offset + i];
      switch (t.init) {
        case Init::normal: x = i < live ? static_cast<float>(0.02 * rng.normal()) : 0.0f; break;
        case Init::normal_residual: x = static_cast<float>(residual_std * rng.normal()); break;
        case Init::ones: x = 1.0f; break;
        case Init::zeros: x = 0.0f; break;
      }
    }
  }
  return w;
}

TEST(InitParallel, NormalsInParallelEqualTheSequentialStream) {
  // A vocabulary that is not a multiple of 128 (padded rows), and wte and
  // lm_head larger than init.cpp's chunks of 2^20 values (11000 x 96 drawn).
  const GptConfig cfg{.vocab = 11000, .seq_len = 32, .channels = 96, .layers = 2, .heads = 4,
                      .micro_batch = 2};
  const int saved = omp_get_max_threads();
  for (int threads : {1, 3}) {
    omp_set_num_threads(threads);
    for (int l = 0; l < cfg.num_layers(); ++l) {
      const LayerSpec spec = layer_spec(cfg, l);
      std::vector<float> w(spec.size);
      init_layer(cfg, spec, 99, w);
      EXPECT_EQ(w, sequential_init(cfg, spec, 99)) << spec.name() << ", " << threads << " threads";
    }
  }
  omp_set_num_threads(saved);
}

}  // namespace
}  // namespace parcae::model
