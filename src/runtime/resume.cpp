// Where a training job starts (see resume.hpp).
#include "parcae/runtime/resume.hpp"

#include <algorithm>

#include "parcae/ckpt/catalog.hpp"
#include "parcae/ckpt/checkpoint.hpp"
#include "parcae/ckpt/paths.hpp"
#include "parcae/ckpt/manifest.hpp"
#include "parcae/error.hpp"
#include "parcae/runtime/checkpoint_writing.hpp"

namespace parcae::runtime {
namespace {

namespace fs = std::filesystem;

// The job must go on with what the checkpoint was trained with.
void check_same_job(const ckpt::Manifest& m, const TrainConfig& cfg, const fs::path& dir) {
  try {
    ckpt::check_same_model(m, cfg.model);
  } catch (const InputError& e) {
    throw InputError(dir.string() + ": " + e.what());
  }
  if (m.seed != cfg.seed) {
    throw InputError("--seed " + std::to_string(cfg.seed) + " differs from the checkpoint's " +
                     std::to_string(m.seed) + " (" + dir.string() + "): the data order would change");
  }
  const auto batch = m.training.value("global_batch", cfg.global_batch);
  if (batch != cfg.global_batch) {
    throw InputError("--global-batch " + std::to_string(cfg.global_batch) +
                     " differs from the checkpoint's " + std::to_string(batch) + " (" +
                     dir.string() + ")");
  }
}

// The checkpoint's problems, joined ("" when it verifies).
std::string problems_of(const fs::path& dir) {
  const auto v = ckpt::verify_checkpoint(dir);
  std::string all;
  for (const auto& p : v.problems) all += (all.empty() ? "" : "; ") + p;
  return all;
}

StartPoint start_at(const fs::path& dir, const ckpt::Manifest& m) {
  return {.step_dir = dir.string(), .step = static_cast<int>(m.step)};
}

std::string resuming(const fs::path& dir, std::int64_t step, const TrainConfig& cfg) {
  return "resuming from " + dir.string() + " (step " + std::to_string(step) + " of " +
         std::to_string(cfg.steps) + ")";
}

ResolvedStart from_path(const TrainConfig& cfg, const fs::path& dir) {
  std::error_code error;  // a name the file system refuses (too long, ...) is bad input too
  if (!fs::is_directory(dir, error)) {
    throw InputError("--resume " + dir.string() + ": no such checkpoint folder" +
                     (error ? " (" + error.message() + ")" : ""));
  }
  if (!ckpt::is_complete(dir)) {
    throw InputError("--resume " + dir.string() + ": incomplete checkpoint (no " + std::string(
                     ckpt::kManifestName) + ": its writing was interrupted)");
  }
  const auto m = ckpt::read_manifest(dir);
  check_same_job(m, cfg, dir);
  if (const auto bad = problems_of(dir); !bad.empty()) {
    throw InputError("--resume " + dir.string() + ": corrupt checkpoint: " + bad);
  }
  return {start_at(dir, m), resuming(dir, m.step, cfg), {}};
}

ResolvedStart newest_intact(const TrainConfig& cfg) {
  const auto run = checkpoint_run_dir(cfg);
  auto found = ckpt::list_checkpoints(run);
  std::reverse(found.begin(), found.end());  // newest first
  ResolvedStart r;
  for (const auto& c : found) {
    const auto m = ckpt::read_manifest(c.dir);
    check_same_job(m, cfg, c.dir);
    if (const auto bad = problems_of(c.dir); !bad.empty()) {
      r.warnings.push_back("skipping corrupt checkpoint " + c.dir.string() + ": " + bad);
      continue;
    }
    r.start = start_at(c.dir, m);
    r.said = resuming(c.dir, m.step, cfg);
    if (!r.warnings.empty()) r.said += ", the newest intact one";
    return r;
  }
  if (!found.empty()) {
    throw InputError("--resume auto: every checkpoint of " + run.string() +
                     " is corrupt (never trained on): " + r.warnings.front());
  }
  r.said = "no checkpoint in " + run.string() + ": starting fresh";
  return r;
}

}  // namespace

ResolvedStart resolve_start(const TrainConfig& cfg, const std::string& resume) {
  if (resume == "auto") return newest_intact(cfg);
  if (!resume.empty()) return from_path(cfg, resume);
  if (!cfg.checkpoints.dir.empty()) {
    const auto run = checkpoint_run_dir(cfg);
    if (const auto newest = ckpt::newest_checkpoint(run)) {
      throw InputError(run.string() + " already holds checkpoints (newest " +
                       newest->filename().string() +
                       "): --resume auto continues that run, --run NAME starts another");
    }
  }
  return {};
}

}  // namespace parcae::runtime
