#include "parcae/liveput/layers.hpp"

#include <numeric>

#include "parcae/error.hpp"

namespace parcae::liveput {

LayerParams paper_gpt_1_5b_layers() {
  LayerParams layers;
  layers.push_back(82'124'800);
  layers.insert(layers.end(), 48, 30'740'800);
  layers.push_back(82'128'000);
  return layers;
}

LayerParams gpt_layers(int n_layer, int d_model, int vocab, int seq_len) {
  const std::int64_t c = d_model;
  const std::int64_t block = 2 * 2 * c + (3 * c * c + 3 * c) + (c * c + c) +
                             (4 * c * c + 4 * c) + (4 * c * c + c);
  LayerParams layers;
  layers.push_back(static_cast<std::int64_t>(vocab + seq_len) * c);
  layers.insert(layers.end(), n_layer, block);
  layers.push_back(2 * c + static_cast<std::int64_t>(vocab) * c);
  return layers;
}

std::vector<int> paper_partition(int num_layers, int pp) {
  if (pp < 1 || pp > num_layers - 1)
    throw InputError("pipeline depth " + std::to_string(pp) + " does not fit " +
                     std::to_string(num_layers) + " layers");
  const int chunk = (num_layers - 1) / pp;
  std::vector<int> sizes(pp, chunk);
  sizes[0] += 1;
  for (int i = 0; i < (num_layers - 1) % pp; ++i) sizes[pp - i - 2] += 1;
  std::vector<int> bounds(pp + 1, 0);
  std::partial_sum(sizes.begin(), sizes.end(), bounds.begin() + 1);
  return bounds;
}

std::vector<std::int64_t> stage_params(const LayerParams& layers, const std::vector<int>& boundaries) {
  std::vector<std::int64_t> params;
  for (std::size_t s = 0; s + 1 < boundaries.size(); ++s)
    params.push_back(std::accumulate(layers.begin() + boundaries[s],
                                     layers.begin() + boundaries[s + 1], std::int64_t{0}));
  return params;
}

}  // namespace parcae::liveput
