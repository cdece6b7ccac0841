// manifest.json: to and from JSON, atomic write, model check (see manifest.hpp).
#include "parcae/ckpt/manifest.hpp"

#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include "parcae/ckpt/paths.hpp"
#include "parcae/error.hpp"
#include "parcae/util/atomic_file.hpp"
#include "parcae/util/checksum.hpp"

namespace parcae::ckpt {
namespace {

using nlohmann::json;

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// Reads fields out of a JSON object, naming the missing or mistyped one by
// its dotted path ("model.channels", "shards[3].bytes").
class Fields {
 public:
  Fields(const json& j, std::string where, std::string path)
      : j_(j), where_(std::move(where)), path_(std::move(path)) {
    if (!j_.is_object()) throw fail(path_.empty() ? "the manifest" : path_, "is not an object");
  }

  const json& at(const std::string& key) const {
    const auto it = j_.find(key);
    if (it == j_.end()) throw InputError(where_ + ": missing field '" + name(key) + "'");
    return *it;
  }
  Fields object(const std::string& key) const { return Fields(at(key), where_, name(key)); }

  // An integer in [lo, hi], where 0 <= lo (every count and id here is).
  template <class T>
  T integer(const std::string& key, T lo, T hi) const {
    const json& v = at(key);
    if (!v.is_number_integer()) throw fail(name(key), "is not an integer");
    // The parser keeps non-negative integers unsigned; a json built in
    // memory may hold them signed.
    const bool negative = !v.is_number_unsigned() && v.get<std::int64_t>() < 0;
    const std::uint64_t u = negative ? 0 : v.get<std::uint64_t>();
    if (negative || u < static_cast<std::uint64_t>(lo) || u > static_cast<std::uint64_t>(hi)) {
      throw fail(name(key),
                 "is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    }
    return static_cast<T>(u);
  }
  std::string text(const std::string& key) const {
    const json& v = at(key);
    if (!v.is_string()) throw fail(name(key), "is not a string");
    return v.get<std::string>();
  }
  std::uint64_t checksum(const std::string& key) const {
    const std::string t = text(key);
    std::uint64_t v = 0;
    int used = 0;
    if (t.size() != 16 || std::sscanf(t.c_str(), "%16" SCNx64 "%n", &v, &used) != 1 || used != 16) {
      throw fail(name(key), "is not 16 hex digits");
    }
    return v;
  }
  InputError fail(const std::string& field, const std::string& what) const {
    return InputError(where_ + ": field '" + field + "' " + what);
  }

 private:
  std::string name(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  const json& j_;
  std::string where_, path_;
};

constexpr int kIntMax = 1 << 30;
constexpr std::int64_t kInt64Max = INT64_MAX;

model::GptConfig model_from(const Fields& f) {
  model::GptConfig m;
  m.vocab = f.integer<int>("vocab", 1, kIntMax);
  m.seq_len = f.integer<int>("seq_len", 1, kIntMax);
  m.channels = f.integer<int>("channels", 1, kIntMax);
  m.layers = f.integer<int>("layers", 1, kIntMax);
  m.heads = f.integer<int>("heads", 1, kIntMax);
  m.micro_batch = f.integer<int>("micro_batch", 1, kIntMax);
  return m;
}

ShardRecord shard_from(const Fields& f) {
  ShardRecord r;
  r.layer = f.integer<int>("layer", 0, kIntMax);
  r.file = f.text("file");
  r.bytes = f.integer<std::int64_t>("bytes", 0, kInt64Max);
  r.step = f.integer<std::int64_t>("step", 0, kInt64Max);
  r.checksum = f.checksum("checksum");
  const Fields d = f.object("xxh3");
  r.datasets = {d.checksum("param"), d.checksum("adam_m"), d.checksum("adam_v")};
  return r;
}

// Every layer of the model exactly once, in order, each in its own file name.
void check_shards_cover_model(const Manifest& m, const std::string& where) {
  const int layers = m.model.num_layers();
  if (static_cast<int>(m.shards.size()) != layers) {
    throw InputError(where + ": " + std::to_string(m.shards.size()) + " shards for a model of " +
                     std::to_string(layers) + " layers");
  }
  for (int l = 0; l < layers; ++l) {
    const ShardRecord& r = m.shards[static_cast<std::size_t>(l)];
    if (r.layer != l) {
      throw InputError(where + ": shards[" + std::to_string(l) + "] is layer " +
                       std::to_string(r.layer) + ", expected " + std::to_string(l));
    }
    if (r.file != shard_file_name(l)) {
      throw InputError(where + ": shards[" + std::to_string(l) + "].file is '" + r.file +
                       "', expected '" + shard_file_name(l) + "'");
    }
  }
}

}  // namespace

const ShardRecord& Manifest::shard(int layer) const {
  for (const auto& r : shards) {
    if (r.layer == layer) return r;
  }
  throw InputError("checkpoint manifest has no shard for layer " + std::to_string(layer));
}

std::int64_t Manifest::bytes() const {
  std::int64_t total = 0;
  for (const auto& r : shards) total += r.bytes;
  return total;
}

// Checksums as 16 hex digits: JSON readers that hold numbers as doubles
// (jq, JavaScript) would round a 64-bit integer.
json manifest_to_json(const Manifest& m) {
  json shards = json::array();
  for (const auto& r : m.shards) {
    shards.push_back({{"layer", r.layer},
                      {"file", r.file},
                      {"bytes", r.bytes},
                      {"step", r.step},
                      {"checksum", util::checksum_hex(r.checksum)},
                      {"xxh3",
                       {{"param", util::checksum_hex(r.datasets.param)},
                        {"adam_m", util::checksum_hex(r.datasets.adam_m)},
                        {"adam_v", util::checksum_hex(r.datasets.adam_v)}}}});
  }
  return {{"format", "parcae-checkpoint"},
          {"format_version", kFormatVersion},
          {"program_version", m.program_version},
          {"created", m.created},
          {"step", m.step},
          {"tokens_seen", m.tokens_seen},
          {"seed", m.seed},
          {"model",
           {{"vocab", m.model.vocab},
            {"seq_len", m.model.seq_len},
            {"channels", m.model.channels},
            {"layers", m.model.layers},
            {"heads", m.model.heads},
            {"micro_batch", m.model.micro_batch}}},
          {"layout", {{"dp", m.layout.dp}, {"pp", m.layout.pp}, {"workers", m.layout.workers}}},
          {"training", m.training},
          {"shards", shards}};
}

Manifest manifest_from_json(const json& j, const std::string& where) {
  const Fields f(j, where, "");
  if (f.text("format") != "parcae-checkpoint") throw f.fail("format", "is not 'parcae-checkpoint'");
  const int version = f.integer<int>("format_version", 0, kIntMax);
  if (version != kFormatVersion) {
    throw f.fail("format_version", "is " + std::to_string(version) + "; this program reads " +
                                       std::to_string(kFormatVersion));
  }
  Manifest m;
  m.program_version = f.text("program_version");
  m.created = f.text("created");
  m.step = f.integer<std::int64_t>("step", 0, kMaxStep);
  m.tokens_seen = f.integer<std::int64_t>("tokens_seen", 0, kInt64Max);
  m.seed = f.integer<std::uint64_t>("seed", 0, UINT64_MAX);
  m.model = model_from(f.object("model"));
  try {
    m.model.validate();
  } catch (const InputError& e) {
    throw InputError(where + ": field 'model': " + e.what());
  }
  const Fields layout = f.object("layout");
  m.layout = {layout.integer<int>("dp", 1, kIntMax), layout.integer<int>("pp", 1, kIntMax),
              layout.integer<int>("workers", 1, kIntMax)};
  m.training = f.at("training");
  if (!m.training.is_object()) throw f.fail("training", "is not an object");
  const json& shards = f.at("shards");
  if (!shards.is_array()) throw f.fail("shards", "is not an array");
  for (std::size_t i = 0; i < shards.size(); ++i) {
    m.shards.push_back(shard_from(Fields(shards[i], where, "shards[" + std::to_string(i) + "]")));
  }
  check_shards_cover_model(m, where);
  return m;
}

void write_manifest(const fs::path& step_dir, const Manifest& m) {
  const std::string where = (step_dir / kManifestName).string();
  check_shards_cover_model(m, where);
  // The shards' renames are durable before the manifest that vouches for them exists.
  util::sync_parent_directory(where);
  Manifest stamped = m;
  if (stamped.created.empty()) stamped.created = utc_now();
  util::write_file_atomically(where, manifest_to_json(stamped).dump(2) + "\n");
}

Manifest read_manifest(const fs::path& step_dir) {
  const fs::path path = step_dir / kManifestName;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError(path.string() + ": no manifest (a checkpoint without one is incomplete)");
  }
  std::stringstream text;
  text << in.rdbuf();
  json j;
  try {
    j = json::parse(text.str());
  } catch (const json::parse_error& e) {
    throw InputError(path.string() + ": not JSON: " + e.what());
  }
  return manifest_from_json(j, path.string());
}

void check_same_model(const Manifest& m, const model::GptConfig& cfg) {
  struct Field {
    const char* name;
    int saved, here;
  };
  const Field fields[] = {{"vocab", m.model.vocab, cfg.vocab},
                          {"seq_len", m.model.seq_len, cfg.seq_len},
                          {"channels", m.model.channels, cfg.channels},
                          {"layers", m.model.layers, cfg.layers},
                          {"heads", m.model.heads, cfg.heads}};
  for (const auto& f : fields) {
    if (f.saved != f.here) {
      throw InputError("checkpoint's model differs: " + std::string(f.name) + " is " +
                       std::to_string(f.saved) + " in the checkpoint, " + std::to_string(f.here) +
                       " in this run");
    }
  }
}

}  // namespace parcae::ckpt
