// Checkpoint folder and file names (see paths.hpp).
#include "parcae/ckpt/paths.hpp"

#include <cstdio>

#include "parcae/error.hpp"

namespace parcae::ckpt {

fs::path run_dir(const fs::path& dir, const std::string& run) {
  if (run.empty() || run == "." || run == ".." || run.find('/') != std::string::npos) {
    throw InputError("--run: '" + run + "' is not a plain folder name");
  }
  return dir / run;
}

std::string step_dir_name(std::int64_t step) {
  if (step < 0 || step > kMaxStep) {
    throw InputError("checkpoint step " + std::to_string(step) + " is outside [0, " +
                     std::to_string(kMaxStep) + "]");
  }
  char name[32];
  std::snprintf(name, sizeof name, "step-%08lld", static_cast<long long>(step));
  return name;
}

fs::path step_dir(const fs::path& run_dir, std::int64_t step) {
  return run_dir / step_dir_name(step);
}

fs::path step_dir(const fs::path& dir, const std::string& run, std::int64_t step) {
  return step_dir(run_dir(dir, run), step);
}

std::optional<std::int64_t> parse_step_dir_name(std::string_view name) {
  constexpr std::string_view prefix = "step-";
  if (name.size() != prefix.size() + 8 || name.substr(0, prefix.size()) != prefix) {
    return std::nullopt;
  }
  std::int64_t step = 0;
  for (char c : name.substr(prefix.size())) {
    if (c < '0' || c > '9') return std::nullopt;
    step = step * 10 + (c - '0');
  }
  return step;
}

std::string shard_file_name(int layer) {
  char name[32];
  std::snprintf(name, sizeof name, "layer-%04d.h5", layer);
  return name;
}

}  // namespace parcae::ckpt
