#pragma once
// The checkpoints of one run (`<checkpoint dir>/<run>`): which are complete,
// the newest, and pruning to the newest K. Only folders named step-<8 digits>
// are ever looked at or removed; anything else in the run folder is left alone.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

namespace parcae::ckpt {

namespace fs = std::filesystem;

struct CheckpointInfo {
  fs::path dir;  // the step folder
  std::int64_t step = 0;
};

// A step folder holding a manifest (written last, so its shards are whole).
bool is_complete(const fs::path& step_dir);

// The complete checkpoints of `run_dir`, oldest first (none when it does not
// exist). IoError when it cannot be listed.
std::vector<CheckpointInfo> list_checkpoints(const fs::path& run_dir);
// The step folders without a manifest (half-written or being written), oldest first.
std::vector<CheckpointInfo> list_incomplete(const fs::path& run_dir);
std::optional<fs::path> newest_checkpoint(const fs::path& run_dir);

// What a tool is pointed at (`parcae ckpt ls|inspect|verify PATH`): one step
// folder (complete or not), a run folder holding step folders, or a
// checkpoint dir holding run folders. Throws InputError when PATH is not a
// folder.
struct Found {
  std::vector<CheckpointInfo> complete;    // by run, then step
  std::vector<CheckpointInfo> incomplete;  // never loaded
};
Found find_checkpoints(const fs::path& path);

// Keeps the newest `keep` (>= 1) complete checkpoints and removes the older
// ones, and the incomplete folders older than the newest complete one (left by
// a crash; a newer incomplete one may be being written and stays). A removed
// checkpoint loses its manifest first, so an interrupted prune leaves an
// incomplete folder, never a complete-looking damaged one.
void prune_checkpoints(const fs::path& run_dir, int keep);

// Before a run writes anything: creates `run_dir` if missing and checks that
// a file can be created in it and that its file system has `bytes_needed`
// free. Throws InputError (exit 2) naming the folder and the reason
// ("Read-only file system", "needs 1.5 GB, 0.2 GB free"), and then removes
// the folders it created: a refused run leaves nothing behind.
void check_writable(const fs::path& run_dir, std::int64_t bytes_needed);

}  // namespace parcae::ckpt
