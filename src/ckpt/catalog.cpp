// Listing and pruning a run's checkpoints (see catalog.hpp).
#include "parcae/ckpt/catalog.hpp"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "parcae/ckpt/paths.hpp"
#include "parcae/error.hpp"

namespace parcae::ckpt {
namespace {

// Every step folder of the run, complete or not, oldest first.
std::vector<CheckpointInfo> step_folders(const fs::path& run_dir) {
  std::vector<CheckpointInfo> found;
  std::error_code ec;
  if (!fs::is_directory(run_dir, ec)) return found;
  fs::directory_iterator it(run_dir, ec);
  if (ec) throw IoError(run_dir.string() + ": cannot list: " + ec.message());
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) throw IoError(run_dir.string() + ": cannot list: " + ec.message());
    const auto step = parse_step_dir_name(it->path().filename().string());
    if (step && it->is_directory(ec)) found.push_back({it->path(), *step});
  }
  std::sort(found.begin(), found.end(),
            [](const CheckpointInfo& a, const CheckpointInfo& b) { return a.step < b.step; });
  return found;
}

void remove_checkpoint(const fs::path& dir) {
  std::error_code ec;
  // The manifest first: from here on the folder is incomplete, whatever happens.
  fs::remove(dir / kManifestName, ec);
  if (ec) throw IoError((dir / kManifestName).string() + ": cannot remove: " + ec.message());
  fs::remove_all(dir, ec);
  if (ec) throw IoError(dir.string() + ": cannot remove: " + ec.message());
}

}  // namespace

bool is_complete(const fs::path& step_dir) {
  std::error_code ec;
  return fs::is_regular_file(step_dir / kManifestName, ec);
}

std::vector<CheckpointInfo> list_checkpoints(const fs::path& run_dir) {
  auto all = step_folders(run_dir);
  std::erase_if(all, [](const CheckpointInfo& c) { return !is_complete(c.dir); });
  return all;
}

std::vector<CheckpointInfo> list_incomplete(const fs::path& run_dir) {
  auto all = step_folders(run_dir);
  std::erase_if(all, [](const CheckpointInfo& c) { return is_complete(c.dir); });
  return all;
}

std::optional<fs::path> newest_checkpoint(const fs::path& run_dir) {
  const auto complete = list_checkpoints(run_dir);
  if (complete.empty()) return std::nullopt;
  return complete.back().dir;
}

Found find_checkpoints(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    throw InputError(path.string() + ": not a checkpoint folder (" +
                     (fs::exists(path, ec) ? "not a folder" : "no such folder") + ")");
  }
  Found found;
  auto add_run = [&found](const fs::path& run) {
    for (auto& c : list_checkpoints(run)) found.complete.push_back(std::move(c));
    for (auto& c : list_incomplete(run)) found.incomplete.push_back(std::move(c));
  };
  const fs::path name = path.filename().empty() ? path.parent_path().filename() : path.filename();
  const auto step = parse_step_dir_name(name.string());
  if (step || is_complete(path)) {
    (is_complete(path) ? found.complete : found.incomplete).push_back({path, step.value_or(-1)});
    return found;
  }
  if (!step_folders(path).empty()) {
    add_run(path);
    return found;
  }
  std::vector<fs::path> runs;
  for (const auto& e : fs::directory_iterator(path, ec)) {
    if (e.is_directory(ec)) runs.push_back(e.path());
  }
  std::sort(runs.begin(), runs.end());
  for (const auto& run : runs) add_run(run);
  return found;
}

void prune_checkpoints(const fs::path& run_dir, int keep) {
  if (keep < 1) throw InputError("--keep-checkpoints: " + std::to_string(keep) + " is below 1");
  const auto complete = list_checkpoints(run_dir);
  if (complete.empty()) return;
  const std::int64_t newest = complete.back().step;
  for (const auto& c : list_incomplete(run_dir)) {
    if (c.step < newest) remove_checkpoint(c.dir);
  }
  const std::size_t kept = static_cast<std::size_t>(keep);
  for (std::size_t i = 0; i + kept < complete.size(); ++i) remove_checkpoint(complete[i].dir);
}

namespace {

std::string gigabytes(double bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f GB", bytes / 1e9);
  return text;
}

}  // namespace

void check_writable(const fs::path& run_dir, std::int64_t bytes_needed) {
  const std::string where = run_dir.string();
  // The outermost folder this creates, removed again if the check fails.
  std::error_code ec;
  fs::path created;
  for (fs::path p = run_dir; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
    created = p;
    if (p == p.parent_path()) break;
  }
  auto refuse = [&](const std::string& why) {
    if (!created.empty()) fs::remove_all(created, ec);
    return InputError(where + ": " + why);
  };
  fs::create_directories(run_dir, ec);
  if (ec) throw refuse("cannot create the checkpoint folder: " + ec.message());
  const std::string probe = (run_dir / (".probe." + std::to_string(::getpid()))).string();
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw refuse(std::string("cannot write checkpoints there: ") + std::strerror(errno));
  ::close(fd);
  ::unlink(probe.c_str());
  struct statvfs fsinfo {};
  if (::statvfs(where.c_str(), &fsinfo) == 0) {
    const double free_bytes = static_cast<double>(fsinfo.f_bavail) * fsinfo.f_frsize;
    if (free_bytes < static_cast<double>(bytes_needed)) {
      throw refuse("not enough room for a checkpoint: needs " +
                   gigabytes(static_cast<double>(bytes_needed)) + ", " + gigabytes(free_bytes) +
                   " free");
    }
  }
}

}  // namespace parcae::ckpt
