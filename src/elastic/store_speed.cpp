// The checkpoint store's measured speed (see store_speed.hpp).
#include "parcae/elastic/store_speed.hpp"

#include <unistd.h>

#include <algorithm>
#include <exception>
#include <string>

#include "parcae/ckpt/shard_file.hpp"
#include "parcae/model/layers.hpp"
#include "parcae/model/shard.hpp"
#include "parcae/util/stopwatch.hpp"

namespace parcae::elastic {
namespace fs = std::filesystem;

namespace {

int largest_layer(const model::GptConfig& cfg) {
  const auto sizes = model::layer_sizes(cfg);
  return static_cast<int>(std::max_element(sizes.begin(), sizes.end()) - sizes.begin());
}

}  // namespace

StoreSpeed measure_store_speed(const model::GptConfig& cfg, const fs::path& root) {
  StoreSpeed speed;
  const fs::path dir = root / (".store-speed-" + std::to_string(::getpid()));
  try {
    const model::Shard shard = model::make_shard(cfg, largest_layer(cfg), 1);
    util::Stopwatch watch;
    const auto record = ckpt::write_shard(dir, cfg, shard);
    const double write_s = watch.ms() / 1e3;
    watch.restart();
    const auto back = ckpt::read_shard(dir, cfg, record);
    const double read_s = watch.ms() / 1e3;
    const double bytes = static_cast<double>(record.bytes);
    if (back.checksum() == shard.checksum() && write_s > 0 && read_s > 0) {
      speed.write_gbps = bytes / 1e9 / write_s;
      speed.read_gbps = bytes / 1e9 / read_s;
    }
  } catch (const std::exception&) {
    speed = {};  // not writable here: the caller keeps its assumption
  }
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return speed;
}

double store_write_ms(const StoreSpeed& s, double bytes) {
  return s.write_gbps > 0 ? bytes / 1e9 / s.write_gbps * 1e3 : 0.0;
}

double store_read_ms(const StoreSpeed& s, double bytes) {
  return s.read_gbps > 0 ? bytes / 1e9 / s.read_gbps * 1e3 : 0.0;
}

}  // namespace parcae::elastic
