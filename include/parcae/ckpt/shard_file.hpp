#pragma once
// One layer shard as one HDF5 file (`<step dir>/layer-<4 digits>.h5`), readable
// by h5dump, h5ls and h5py as ordinary HDF5:
//
//   /                       attrs format = "parcae-shard", format_version, program_version
//   /layer-0003             group, attrs layer, name ("block2"), kind, step, floats
//   /layer-0003/param       float32 [floats], attr xxh3 (uint64, of its raw bytes)
//   /layer-0003/adam_m      float32 [floats], attr xxh3
//   /layer-0003/adam_v      float32 [floats], attr xxh3
//   /layer-0003/tensors/<name>   group per named tensor view (model::layer_spec),
//                                attrs offset (in floats), shape (int64[])
//
// Written to a temporary name beside it, fsynced and renamed: a crash leaves
// the old file or the new one, never a mixture. The folder itself is fsynced
// by write_manifest, before the manifest exists (once per checkpoint, not per
// shard): a shard's name is durable by the time a manifest vouches for it. HDF5 never
// prints its error stack; its failures become IoError (writing) or InputError
// (reading), naming the file.
#include <filesystem>
#include <span>
#include <vector>

#include "parcae/ckpt/manifest.hpp"
#include "parcae/model/config.hpp"
#include "parcae/model/shard.hpp"

namespace parcae::ckpt {

namespace fs = std::filesystem;

// Writes `shard` into `step_dir` (created if missing) and returns its record.
// Throws InputError when the shard does not fit `cfg`'s layer (wrong sizes),
// IoError when the file system refuses (read-only, full disk), naming the file.
ShardRecord write_shard(const fs::path& step_dir, const model::GptConfig& cfg,
                        const model::Shard& shard);

// The same for several shards (a stage's): every file is written and its
// writeback started before any is fsynced, so the disk works on one shard
// while the next is hashed. Records in the order of `shards`.
std::vector<ShardRecord> write_shards(const fs::path& step_dir, const model::GptConfig& cfg,
                                      std::span<const model::Shard> shards);

// Reads the shard `record` names and checks it against the model and the
// record: an HDF5 file of the right size, the group, the three float32
// datasets of layer_spec's size, the tensor table, the layer and step, and
// every checksum (data vs the file's attribute vs the record). Throws
// InputError "<file>: <problem>" (not HDF5, wrong shape, missing dataset,
// checksum mismatch in adam_m, ...).
model::Shard read_shard(const fs::path& step_dir, const model::GptConfig& cfg,
                        const ShardRecord& record);

}  // namespace parcae::ckpt
