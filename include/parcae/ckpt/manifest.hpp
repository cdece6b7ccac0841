#pragma once
// A checkpoint's manifest (`manifest.json`): what was saved (model config,
// step, tokens seen, seed, the trainer's own state), by which layout, and every
// shard file with its size and checksums. It is written last, through an
// AtomicFile (temporary, fsync, rename, fsync of the folder): its presence is
// what makes a checkpoint complete.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "parcae/model/config.hpp"
#include "parcae/model/shard.hpp"

namespace parcae::ckpt {

namespace fs = std::filesystem;

inline constexpr int kFormatVersion = 1;

// One layer's shard file, as write_shard saved it.
struct ShardRecord {
  int layer = 0;
  std::string file;                        // relative to the step folder: "layer-0003.h5"
  std::int64_t bytes = 0;                  // the file's size
  std::int64_t step = 0;                   // the shard's AdamW step count
  model::Shard::BufferChecksums datasets;  // XXH3 of param, adam_m, adam_v (their raw bytes)
  std::uint64_t checksum = 0;              // model::Shard::checksum() of the whole shard
  bool operator==(const ShardRecord&) const = default;
};

// The layout that wrote the checkpoint (any layout can read it).
struct WriterLayout {
  int dp = 1;       // D replicas
  int pp = 1;       // P stages
  int workers = 1;  // worker ranks of the job (D x P active, the rest spare or parked)
  bool operator==(const WriterLayout&) const = default;
};

struct Manifest {
  model::GptConfig model;
  std::int64_t step = 0;         // optimizer steps done; the run resumes at step + 1
  std::int64_t tokens_seen = 0;  // training tokens consumed so far
  std::uint64_t seed = 0;        // init and data order (data position = step)
  WriterLayout layout;
  std::vector<ShardRecord> shards;  // every layer of the model once, by layer
  std::string program_version = PARCAE_VERSION;
  std::string created;  // UTC, ISO 8601; write_manifest fills it when empty
  // The trainer's own state (options, schedule, ...), stored verbatim: an
  // object, so a trainer can add keys without a format change.
  nlohmann::json training = nlohmann::json::object();

  // The record of `layer`; throws InputError naming it when absent.
  const ShardRecord& shard(int layer) const;
  std::int64_t bytes() const;  // sum of the shard files' sizes
};

nlohmann::json manifest_to_json(const Manifest& m);
// Throws InputError "<where>: missing field 'model.channels'" (or a wrong
// type, or shards that do not cover every layer of the model exactly once).
Manifest manifest_from_json(const nlohmann::json& j, const std::string& where);

// Writes `<step dir>/manifest.json` atomically (IoError on failure: nothing
// half-written is left). Checks first that the shards cover every layer.
void write_manifest(const fs::path& step_dir, const Manifest& m);
// Reads it back. InputError naming the file when it is missing, not JSON, or
// lacks a field (naming the field).
Manifest read_manifest(const fs::path& step_dir);

// Throws InputError naming the first field of the model's shape (vocab,
// seq_len, channels, layers, heads) where `cfg` differs from the checkpoint's.
// micro_batch is not compared: it splits the same global batch differently
// and leaves the state's shape alone.
void check_same_model(const Manifest& m, const model::GptConfig& cfg);

}  // namespace parcae::ckpt
