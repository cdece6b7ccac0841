#pragma once
// How fast this job's checkpoint store writes and reads, measured, not
// assumed: what a rollback (load the last checkpoint) and the reactive
// baseline's checkpoint-restart (save, then load) really cost on this disk.
#include <filesystem>

#include "parcae/model/config.hpp"

namespace parcae::elastic {

struct StoreSpeed {
  double write_gbps = 0;  // GB/s (1e9 bytes) of write_shard, fsync included
  double read_gbps = 0;   // GB/s of read_shard, checksums verified
  bool measured() const { return write_gbps > 0 && read_gbps > 0; }
};

// Writes the model's largest layer shard into a fresh folder under `root`
// (created if missing), reads it back, removes the folder. A store that
// cannot be written there is not an error here (the run may never
// checkpoint): the speeds stay 0 and the caller keeps its assumption.
StoreSpeed measure_store_speed(const model::GptConfig& cfg, const std::filesystem::path& root);

// Milliseconds to save (or load) `bytes` of state at the measured speed.
double store_write_ms(const StoreSpeed& s, double bytes);
double store_read_ms(const StoreSpeed& s, double bytes);

}  // namespace parcae::elastic
