// The checkpoint store's measured speed: real files, nothing left behind.
#include "parcae/elastic/store_speed.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace parcae::elastic {
namespace {

namespace fs = std::filesystem;

model::GptConfig tiny() { return model::GptConfig::preset("tiny"); }

TEST(StoreSpeed, MeasuresAWritableFolderAndLeavesItAsItWas) {
  const fs::path root = fs::temp_directory_path() / "parcae_store_speed_test";
  fs::remove_all(root);
  fs::create_directories(root);
  const StoreSpeed s = measure_store_speed(tiny(), root);
  EXPECT_TRUE(s.measured());
  EXPECT_GT(s.write_gbps, 0);
  EXPECT_GT(s.read_gbps, 0);
  EXPECT_TRUE(fs::is_empty(root));
  // A GB at the measured speed: the conversion is the one the cost model uses.
  EXPECT_NEAR(store_write_ms(s, 1e9), 1e3 / s.write_gbps, 1e-9);
  EXPECT_NEAR(store_read_ms(s, 2e9), 2e3 / s.read_gbps, 1e-9);
  fs::remove_all(root);
}

TEST(StoreSpeed, AnUnwritableFolderIsNotMeasuredAndCostsNothing) {
  const StoreSpeed s = measure_store_speed(tiny(), "/proc/parcae-cannot-write-here");
  EXPECT_FALSE(s.measured());
  EXPECT_EQ(store_write_ms(s, 1e9), 0.0);
  EXPECT_EQ(store_read_ms(s, 1e9), 0.0);
}

}  // namespace
}  // namespace parcae::elastic
