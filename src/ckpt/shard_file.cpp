// One layer shard as one HDF5 file (see shard_file.hpp).
#include "parcae/ckpt/shard_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <memory>

#include "hdf5.hpp"
#include "parcae/ckpt/paths.hpp"
#include "parcae/error.hpp"
#include "parcae/util/checksum.hpp"
#include "parcae/util/hashing_thread.hpp"

namespace parcae::ckpt {
namespace {

constexpr const char* kFormat = "parcae-shard";
constexpr const char* kBuffers[] = {"param", "adam_m", "adam_v"};
constexpr const char* kChecksumName = "xxh3";

std::string group_name(int layer) {
  char name[32];
  std::snprintf(name, sizeof name, "layer-%04d", layer);
  return name;
}

const char* kind_name(model::LayerKind kind) {
  switch (kind) {
    case model::LayerKind::embedding: return "embedding";
    case model::LayerKind::block: return "block";
    case model::LayerKind::head: return "head";
  }
  return "?";
}

IoError os_error(const fs::path& path, const char* what, int err) {
  return IoError(path.string() + ": " + what + ": " + std::strerror(err));
}

// The layer of `cfg` a shard or record names; InputError when the model has none.
model::LayerSpec spec_of(const model::GptConfig& cfg, int layer, const std::string& where) {
  if (layer < 0 || layer >= cfg.num_layers()) {
    throw InputError(where + ": layer " + std::to_string(layer) + " is not in a model of " +
                     std::to_string(cfg.num_layers()) + " layers");
  }
  return model::layer_spec(cfg, layer);
}

const model::Floats& buffer(const model::Shard& s, int i) {
  return i == 0 ? s.param : i == 1 ? s.adam_m : s.adam_v;
}
model::Floats& buffer(model::Shard& s, int i) {
  return i == 0 ? s.param : i == 1 ? s.adam_m : s.adam_v;
}
std::uint64_t sum(const model::Shard::BufferChecksums& c, int i) {
  return i == 0 ? c.param : i == 1 ? c.adam_m : c.adam_v;
}
std::uint64_t& sum(model::Shard::BufferChecksums& c, int i) {
  return i == 0 ? c.param : i == 1 ? c.adam_m : c.adam_v;
}

// The temporary a shard is written to: removed unless renamed into place.
class Temporary {
 public:
  explicit Temporary(fs::path final)
      : final_(std::move(final)), path_(final_.string() + ".tmp." + std::to_string(::getpid())) {
    // Created here rather than by HDF5, so a refusal reads "Permission denied".
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw os_error(final_, "cannot create a temporary beside it", errno);
    ::close(fd);
  }
  ~Temporary() {
    if (fd_ >= 0) ::close(fd_);
    if (!renamed_) ::unlink(path_.c_str());
  }
  Temporary(const Temporary&) = delete;
  Temporary& operator=(const Temporary&) = delete;
  const std::string& path() const { return path_; }

  // Starts writing the file's dirty pages to disk without waiting, so the
  // disk works while the next shard is being hashed and written.
  void start_writeback() {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd_ < 0) throw os_error(final_, "cannot reopen to sync", errno);
    ::sync_file_range(fd_, 0, 0, SYNC_FILE_RANGE_WRITE);  // a hint: fsync below is the guarantee
  }

  // fsync, rename over the final name. The folder is fsynced once for all
  // its shards, by write_manifest before the manifest exists.
  void commit() {
    if (fd_ < 0) start_writeback();
    const int synced = ::fsync(fd_);
    const int err = errno;
    ::close(fd_);
    fd_ = -1;
    if (synced != 0) throw os_error(final_, "fsync failed", err);
    if (::rename(path_.c_str(), final_.c_str()) != 0) {
      throw os_error(final_, "rename into place failed", errno);
    }
    renamed_ = true;
  }

 private:
  fs::path final_;
  std::string path_;
  int fd_ = -1;
  bool renamed_ = false;
};

void write_tensor_table(hid_t layer_group, const model::LayerSpec& spec) {
  h5::Handle tensors = h5::create_group(layer_group, "tensors");
  for (const auto& t : spec.tensors) {
    h5::Handle view = h5::create_group(tensors.get(), t.name);
    h5::set_attribute(view.get(), "offset", t.offset);
    h5::set_attribute(view.get(), "shape", t.shape);
  }
}

// Returns the checksums of the three buffers, hashed as they were written.
model::Shard::BufferChecksums write_file(const std::string& path, const model::LayerSpec& spec,
                                         const model::Shard& shard) {
  h5::Session session;
  h5::Handle file = h5::create_file(path);
  h5::set_attribute(file.get(), "format", std::string(kFormat));
  h5::set_attribute(file.get(), "format_version", std::int64_t{kFormatVersion});
  h5::set_attribute(file.get(), "program_version", std::string(PARCAE_VERSION));
  model::Shard::BufferChecksums sums;
  {
    h5::Handle group = h5::create_group(file.get(), group_name(shard.layer));
    h5::set_attribute(group.get(), "layer", std::int64_t{shard.layer});
    h5::set_attribute(group.get(), "name", spec.name());
    h5::set_attribute(group.get(), "kind", std::string(kind_name(spec.kind)));
    h5::set_attribute(group.get(), "step", shard.step);
    h5::set_attribute(group.get(), "floats", spec.size);
    for (int i = 0; i < 3; ++i) {
      sum(sums, i) = h5::write_floats(group.get(), kBuffers[i], buffer(shard, i), kChecksumName);
    }
    write_tensor_table(group.get(), spec);
  }
  file.close("closing the file");
  return sums;
}

void check_tensor_table(hid_t layer_group, const model::LayerSpec& spec) {
  h5::Handle tensors = h5::open_group(layer_group, "tensors");
  for (const auto& t : spec.tensors) {
    if (!h5::has_link(tensors.get(), t.name)) {
      throw h5::Error("wrong shape: no tensor view '" + t.name + "' (the model's " + spec.name() +
                      " has one)");
    }
    h5::Handle view = h5::open_group(tensors.get(), t.name);
    if (h5::int_attribute(view.get(), "offset") != t.offset ||
        h5::ints_attribute(view.get(), "shape") != t.shape) {
      throw h5::Error("wrong shape: tensor '" + t.name + "' differs from the model's " +
                      spec.name());
    }
  }
}

struct ReadSums {
  model::Shard::BufferChecksums data;    // of the bytes read
  model::Shard::BufferChecksums stored;  // the datasets' attributes
};

// The file's content into `shard`, with both kinds of checksums.
ReadSums read_file(const std::string& path, const model::LayerSpec& spec, model::Shard& shard) {
  h5::Session session;
  h5::Handle file = h5::open_file_read_only(path);
  h5::Handle group = h5::open_group(file.get(), group_name(spec.index));
  const std::int64_t layer = h5::int_attribute(group.get(), "layer");
  if (layer != spec.index) {
    throw h5::Error("holds layer " + std::to_string(layer) + ", not " + std::to_string(spec.index));
  }
  shard.layer = spec.index;
  shard.step = h5::int_attribute(group.get(), "step");
  check_tensor_table(group.get(), spec);
  // The blocks are hashed on a helper thread while the next ones are read
  // (a read is a copy out of the page cache on this thread; the hash is a
  // second pass over the bytes that would otherwise follow it here). The
  // thread is joined before `shard`'s buffers can go away.
  util::HashingThread hashing(3);
  ReadSums sums;
  for (int i = 0; i < 3; ++i) {
    sum(sums.stored, i) = h5::read_floats(group.get(), kBuffers[i], spec.size, buffer(shard, i),
                                          kChecksumName, hashing, static_cast<std::size_t>(i));
  }
  const std::vector<std::uint64_t> digests = hashing.finish();
  for (int i = 0; i < 3; ++i) sum(sums.data, i) = digests[static_cast<std::size_t>(i)];
  return sums;
}

// Data against the file's own checksums, and those against the manifest's.
void check_sums(const std::string& where, const model::Shard& shard, const ReadSums& sums,
                const ShardRecord& record) {
  for (int i = 0; i < 3; ++i) {
    const std::uint64_t data = sum(sums.data, i), stored = sum(sums.stored, i);
    if (data != stored) {
      throw InputError(where + ": checksum mismatch in " + kBuffers[i] + ": the data hashes to " +
                       util::checksum_hex(data) + ", the file says " +
                       util::checksum_hex(stored) + " (corrupted)");
    }
    if (stored != sum(record.datasets, i)) {
      throw InputError(where + ": checksum mismatch in " + kBuffers[i] + ": the file says " +
                       util::checksum_hex(stored) + ", the manifest " +
                       util::checksum_hex(sum(record.datasets, i)) +
                       " (a shard of another checkpoint?)");
    }
  }
  if (shard.step != record.step) {
    throw InputError(where + ": step " + std::to_string(shard.step) + ", the manifest says " +
                     std::to_string(record.step));
  }
  const std::uint64_t whole = model::combine_checksums(shard.layer, shard.step, sums.data);
  if (whole != record.checksum) {
    throw InputError(where + ": checksum mismatch of the whole shard: " +
                     util::checksum_hex(whole) + ", the manifest says " +
                     util::checksum_hex(record.checksum));
  }
}

}  // namespace

std::vector<ShardRecord> write_shards(const fs::path& step_dir, const model::GptConfig& cfg,
                                      std::span<const model::Shard> shards) {
  std::vector<model::LayerSpec> specs;
  for (const auto& shard : shards) {
    const fs::path final = step_dir / shard_file_name(shard.layer);
    specs.push_back(spec_of(cfg, shard.layer, final.string()));
    for (int i = 0; i < 3; ++i) {
      if (static_cast<std::int64_t>(buffer(shard, i).size()) != specs.back().size) {
        throw InputError(final.string() + ": shard's " + kBuffers[i] + " holds " +
                         std::to_string(buffer(shard, i).size()) + " floats, " +
                         specs.back().name() + " has " + std::to_string(specs.back().size));
      }
    }
  }
  std::error_code ec;
  fs::create_directories(step_dir, ec);
  if (ec) throw IoError(step_dir.string() + ": cannot create the folder: " + ec.message());

  // Every file written and its writeback started, then every one fsynced:
  // the disk writes one shard while the next is hashed and handed to it.
  std::vector<ShardRecord> records(shards.size());
  std::vector<std::unique_ptr<Temporary>> temporaries;
  for (std::size_t k = 0; k < shards.size(); ++k) {
    const model::Shard& shard = shards[k];
    ShardRecord& record = records[k];
    record.layer = shard.layer;
    record.file = shard_file_name(shard.layer);
    record.step = shard.step;
    const fs::path final = step_dir / record.file;
    temporaries.push_back(std::make_unique<Temporary>(final));
    try {
      record.datasets = write_file(temporaries.back()->path(), specs[k], shard);
    } catch (const h5::Error& e) {
      throw IoError(final.string() + ": " + e.what());
    }
    temporaries.back()->start_writeback();
    record.checksum = model::combine_checksums(shard.layer, shard.step, record.datasets);
  }
  for (std::size_t k = 0; k < shards.size(); ++k) {
    temporaries[k]->commit();
    const fs::path final = step_dir / records[k].file;
    records[k].bytes = static_cast<std::int64_t>(fs::file_size(final, ec));
    if (ec) throw IoError(final.string() + ": " + ec.message());
  }
  return records;
}

ShardRecord write_shard(const fs::path& step_dir, const model::GptConfig& cfg,
                        const model::Shard& shard) {
  return write_shards(step_dir, cfg, std::span<const model::Shard>(&shard, 1)).front();
}

model::Shard read_shard(const fs::path& step_dir, const model::GptConfig& cfg,
                        const ShardRecord& record) {
  const fs::path path = step_dir / record.file;
  const std::string where = path.string();
  const model::LayerSpec spec = spec_of(cfg, record.layer, where);
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (!fs::exists(status)) throw InputError(where + ": missing shard file");
  if (!fs::is_regular_file(status)) throw InputError(where + ": not a regular file");
  model::Shard shard;
  ReadSums sums;
  try {
    {
      h5::Session session;
      if (!h5::is_hdf5(where)) throw h5::Error("not an HDF5 file");
    }
    sums = read_file(where, spec, shard);  // its shapes first: the clearer message
    const auto bytes = static_cast<std::int64_t>(fs::file_size(path));
    if (bytes != record.bytes) {
      throw h5::Error(std::to_string(bytes) + " bytes, the manifest says " +
                      std::to_string(record.bytes) + " (truncated or replaced)");
    }
  } catch (const h5::Error& e) {
    throw InputError(where + ": " + e.what());
  } catch (const fs::filesystem_error& e) {
    throw InputError(where + ": " + e.code().message());
  }
  check_sums(where, shard, sums, record);
  return shard;
}

}  // namespace parcae::ckpt
