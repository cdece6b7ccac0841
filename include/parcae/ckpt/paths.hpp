#pragma once
// Where checkpoints live: `<checkpoint dir>/<run>/step-<8 digits>/`, holding one
// HDF5 file per layer shard (`layer-<4 digits>.h5`) and `manifest.json`, which
// is written last: a step folder without it is incomplete and never loaded.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace parcae::ckpt {

namespace fs = std::filesystem;

inline constexpr const char* kManifestName = "manifest.json";
inline constexpr std::int64_t kMaxStep = 99'999'999;  // 8 digits

// `<dir>/<run>`. Throws InputError when `run` is not a plain folder name
// (empty, ".", "..", or holding a '/').
fs::path run_dir(const fs::path& dir, const std::string& run);
// `<run dir>/step-<8 digits>`; `step` in [0, kMaxStep] (InputError otherwise).
fs::path step_dir(const fs::path& run_dir, std::int64_t step);
fs::path step_dir(const fs::path& dir, const std::string& run, std::int64_t step);

std::string step_dir_name(std::int64_t step);  // "step-00000042"
// The step of a folder named like step_dir_name; nullopt for any other name.
std::optional<std::int64_t> parse_step_dir_name(std::string_view name);
std::string shard_file_name(int layer);  // "layer-0003.h5"

}  // namespace parcae::ckpt
