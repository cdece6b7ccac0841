#pragma once
// Errors carry their context (file:line, option, rank) from where they are
// detected; the CLI turns them into exit codes in one place (src/cli/main.cpp).
#include <stdexcept>
#include <string>

namespace parcae {

// Bad input or usage: a malformed file, an impossible option. Exit code 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A read or write that the operating system refused (full disk, I/O error,
// permissions met mid-run): exit code 1, with the path and the OS's reason.
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "FILE:LINE: message" — the form editors and humans both jump to.
inline InputError input_error_at(const std::string& file, long line, const std::string& what) {
  return InputError(file + ":" + std::to_string(line) + ": " + what);
}

}  // namespace parcae
