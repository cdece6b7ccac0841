// A command's outputs, checked up front and committed together (see outputs.hpp).
#include "parcae/util/outputs.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "parcae/error.hpp"
#include "parcae/util/atomic_file.hpp"

namespace parcae::util {
namespace {

namespace fs = std::filesystem;

// The same file: the same device and inode when both exist, else the same
// path once made absolute and resolved as far as it exists.
bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {
  }, sb{};
  const bool ea = ::stat(a.c_str(), &sa) == 0, eb = ::stat(b.c_str(), &sb) == 0;
  if (ea && eb) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  std::error_code ec1, ec2;
  const auto ca = fs::weakly_canonical(fs::absolute(a), ec1);
  const auto cb = fs::weakly_canonical(fs::absolute(b), ec2);
  return !ec1 && !ec2 && ca == cb;
}

std::string quoted(const std::string& option, const std::string& path) {
  return option + " '" + path + "'";
}

void check_output_path(const std::string& option, const std::string& path) {
  if (path.empty()) throw InputError(option + ": empty output path");
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) throw InputError(quoted(option, path) + " is a directory");
    if (!S_ISREG(st.st_mode))
      throw InputError(quoted(option, path) +
                       " exists and is not a regular file (a device, fifo or socket): refusing "
                       "to replace it");
  }
  std::string dir = fs::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  struct stat ds {};
  if (::stat(dir.c_str(), &ds) != 0 || !S_ISDIR(ds.st_mode))
    throw InputError(quoted(option, path) + ": folder '" + dir + "' does not exist");
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw InputError(quoted(option, path) + ": cannot write in folder '" + dir + "' (" +
                     std::strerror(errno) + ")");
}

}  // namespace

void Outputs::input(const std::string& option, const std::string& path) {
  struct stat st {};
  if (path.empty() || path == "-" || ::stat(path.c_str(), &st) != 0) return;
  for (const auto& out : outputs_)
    if (!out.is_stdout && same_file(out.path, path))
      throw InputError(quoted(out.option, out.path) + " is the same file as the input " +
                       quoted(option, path) + ": refusing to overwrite an input");
  inputs_.push_back({option, path});
}

void Outputs::output(const std::string& option, const std::string& path, bool stdout_allowed) {
  if (path == "-" && stdout_allowed) {
    outputs_.push_back({option, path, true});
    return;
  }
  check_output_path(option, path);
  for (const auto& in : inputs_)
    if (same_file(path, in.path))
      throw InputError(quoted(option, path) + " is the same file as the input " +
                       quoted(in.option, in.path) + ": refusing to overwrite an input");
  for (const auto& out : outputs_)
    if (!out.is_stdout && same_file(path, out.path))
      throw InputError(quoted(option, path) + " is the same file as the output " +
                       quoted(out.option, out.path));
  outputs_.push_back({option, path, false});
}

Outputs::File* Outputs::find(const std::string& option) {
  for (auto& out : outputs_)
    if (out.option == option) return &out;
  return nullptr;
}

bool Outputs::declared(const std::string& option) const {
  for (const auto& out : outputs_)
    if (out.option == option) return true;
  return false;
}

void Outputs::set(const std::string& option, std::string bytes) {
  File* out = find(option);
  if (out == nullptr) throw std::logic_error("output " + option + " was not declared");
  out->bytes = std::move(bytes);
  out->has_bytes = true;
}

void Outputs::commit() {
  // Every temporary written and made durable before the first rename.
  std::vector<std::unique_ptr<AtomicFile>> staged;
  for (const auto& out : outputs_) {
    if (!out.has_bytes || out.is_stdout) continue;
    staged.push_back(std::make_unique<AtomicFile>(out.path));
    staged.back()->write(out.bytes);
    staged.back()->sync();
  }
  for (auto& file : staged) file->commit();
  for (const auto& out : outputs_) {
    if (!out.has_bytes || !out.is_stdout) continue;
    std::cout << out.bytes << std::flush;
    if (!std::cout) throw IoError("standard output: write failed");
  }
}

}  // namespace parcae::util
