// llm.c's GPT-2 weights as parcae shards (see llmc_weights.hpp).
#include "parcae/ckpt/llmc_weights.hpp"

#include <algorithm>
#include <filesystem>

#include "parcae/error.hpp"
#include "parcae/model/layers.hpp"
#include "parcae/util/input_file.hpp"

namespace parcae::ckpt {

namespace {

constexpr std::size_t kHeaderInts = 256;

// Reads the file's float tensors in order.
class TensorReader {
 public:
  TensorReader(std::istream& in, const std::string& path) : in_(in), path_(path) {}
  std::vector<float> next(std::int64_t count, const char* name) {
    std::vector<float> v(static_cast<std::size_t>(count));
    if (!in_.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(count * 4)))
      throw InputError(path_ + ": read error in tensor " + name);
    return v;
  }

 private:
  std::istream& in_;
  const std::string& path_;
};

// The L per-layer slices of one [L, ...] tensor.
std::vector<std::vector<float>> per_layer(TensorReader& r, int L, std::int64_t each,
                                          const char* name) {
  const auto all = r.next(L * each, name);
  std::vector<std::vector<float>> out;
  for (int l = 0; l < L; ++l) out.emplace_back(all.begin() + l * each, all.begin() + (l + 1) * each);
  return out;
}

// Copies `values` into the tensor `name` of `shard`, whose layout is `spec`'s;
// `count` floats (fewer than the tensor holds: the padded vocabulary rows stay zero).
void put(model::Shard& shard, const model::LayerSpec& spec, const char* name,
         const std::vector<float>& values, std::int64_t count) {
  const auto& t = spec.at(name);
  std::copy_n(values.begin(), count, shard.param.begin() + t.offset);
}
void put(model::Shard& shard, const model::LayerSpec& spec, const char* name,
         const std::vector<float>& values) {
  put(shard, spec, name, values, spec.at(name).size);
}

model::Shard empty_shard(const model::GptConfig& cfg, int layer) {
  const auto size = static_cast<std::size_t>(model::layer_spec(cfg, layer).size);
  return {layer, model::Floats(size, 0.0f), model::Floats(size, 0.0f), model::Floats(size, 0.0f), 0};
}

}  // namespace

LlmcWeights read_llmc_weights(const std::string& path) {
  auto in = util::open_input(path, "llm.c weights file");
  std::int32_t h[kHeaderInts] = {};
  in.read(reinterpret_cast<char*>(h), sizeof h);
  if (in.gcount() != static_cast<std::streamsize>(sizeof h))
    throw InputError(path + ": truncated llm.c weights file (shorter than its 1024-byte header)");
  if (h[0] != kLlmcWeightsMagic)
    throw InputError(path + ": not an llm.c GPT-2 weights file (magic " + std::to_string(h[0]) +
                     ", expected 20240326)");
  if (h[1] != 1 && h[1] != 3)
    throw InputError(path + ": llm.c weights version " + std::to_string(h[1]) +
                     " is not supported (3 or 1: float32; 5 is bfloat16)");
  model::GptConfig cfg;
  cfg.seq_len = h[2];
  cfg.vocab = h[3];
  cfg.layers = h[4];
  cfg.heads = h[5];
  cfg.channels = h[6];
  const std::int64_t Vp_file = h[1] == 3 ? h[7] : h[3];
  try {
    cfg.validate();
  } catch (const InputError& e) {
    throw InputError(path + ": parcae cannot build this model: " + e.what());
  }
  if (Vp_file < cfg.vocab)
    throw InputError(path + ": padded vocabulary " + std::to_string(Vp_file) +
                     " is smaller than the vocabulary " + std::to_string(cfg.vocab));

  const std::int64_t V = cfg.vocab, T = cfg.seq_len, C = cfg.channels, L = cfg.layers;
  const std::int64_t per_block = 2 * C + 3 * C * C + 3 * C + C * C + C + 2 * C + 4 * C * C +
                                 4 * C + 4 * C * C + C;
  const std::int64_t floats = Vp_file * C + T * C + L * per_block + 2 * C;
  const auto size = std::filesystem::file_size(path);
  if (size != sizeof h + 4 * static_cast<std::uint64_t>(floats))
    throw InputError(path + ": wrong size for its header (" + cfg.describe() + ", Vp " +
                     std::to_string(Vp_file) + "): " + std::to_string(floats) +
                     " float32 parameters, " + std::to_string(sizeof h + 4 * floats) +
                     " bytes expected, the file has " + std::to_string(size));

  TensorReader r(in, path);
  LlmcWeights w{cfg, {}, h[1]};
  for (int l = 0; l < cfg.num_layers(); ++l) w.shards.push_back(empty_shard(cfg, l));
  const auto embedding = model::layer_spec(cfg, 0);
  const auto wte = r.next(Vp_file * C, "wte");
  put(w.shards[0], embedding, "wte", wte, V * C);  // the file's padding rows are dropped
  put(w.shards[0], embedding, "wpe", r.next(T * C, "wpe"));

  // The block tensors, [L, ...] each, in the file's order under parcae's names.
  const std::pair<const char*, std::int64_t> block_tensors[] = {
      {"ln1.weight", C},          {"ln1.bias", C},        {"attn.qkv.weight", 3 * C * C},
      {"attn.qkv.bias", 3 * C},   {"attn.proj.weight", C * C}, {"attn.proj.bias", C},
      {"ln2.weight", C},          {"ln2.bias", C},        {"mlp.fc.weight", 4 * C * C},
      {"mlp.fc.bias", 4 * C},     {"mlp.proj.weight", 4 * C * C}, {"mlp.proj.bias", C}};
  for (const auto& [name, each] : block_tensors) {
    const auto slices = per_layer(r, cfg.layers, each, name);
    for (int l = 1; l <= cfg.layers; ++l)
      put(w.shards[l], model::layer_spec(cfg, l), name, slices[l - 1]);
  }
  const int head = cfg.layers + 1;
  const auto head_spec = model::layer_spec(cfg, head);
  put(w.shards[head], head_spec, "lnf.weight", r.next(C, "lnf.weight"));
  put(w.shards[head], head_spec, "lnf.bias", r.next(C, "lnf.bias"));
  put(w.shards[head], head_spec, "lm_head.weight", wte, V * C);  // tied in llm.c: a copy
  return w;
}

}  // namespace parcae::ckpt
