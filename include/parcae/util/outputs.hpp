#pragma once
// A command's output files, declared before any work starts and written all
// together at the end, so that nothing already saved is lost:
//
//   - each output path is checked up front (InputError, exit 2): its folder
//     exists and is writable, it is not an existing directory, device, fifo or
//     socket (renaming a file over /dev/full would replace the device node),
//     and it is neither one of the command's inputs nor another output (same
//     file by device and inode, or the same path once resolved);
//   - commit() writes every output to a temporary beside it and makes each
//     durable first, and only when all of them succeeded renames them into
//     place; a failure (IoError, exit 1, naming the path and the OS error)
//     leaves every earlier file as it was and no temporary behind.
//
// "-" means standard output for the outputs that allow it.
#include <memory>
#include <string>
#include <vector>

namespace parcae::util {

class Outputs {
 public:
  // An input the outputs must not overwrite (`option` names it in messages).
  // Inputs that do not exist are ignored here (their reader reports them).
  void input(const std::string& option, const std::string& path);
  // An output, checked now against the file system, the inputs and the
  // outputs declared so far.
  void output(const std::string& option, const std::string& path, bool stdout_allowed = false);

  // The bytes of the output declared under `option`.
  void set(const std::string& option, std::string bytes);
  // Writes every output that was set (see above). An output declared and never
  // set is left alone.
  void commit();

  bool declared(const std::string& option) const;

 private:
  struct File {
    std::string option, path;
    bool is_stdout = false;
    bool has_bytes = false;
    std::string bytes;
  };
  File* find(const std::string& option);
  std::vector<File> inputs_, outputs_;
};

}  // namespace parcae::util
