// Input files (see input_file.hpp).
#include "parcae/util/input_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "parcae/error.hpp"

namespace parcae::util {

void check_input(const std::string& path, const std::string& what) {
  struct stat st {};
  if (path.empty()) throw InputError("empty path for a " + what);
  if (::stat(path.c_str(), &st) != 0)
    throw InputError(path + ": cannot open " + what + " (" + std::strerror(errno) + ")");
  if (S_ISDIR(st.st_mode)) throw InputError(path + ": is a directory, not a " + what);
  if (!S_ISREG(st.st_mode))
    throw InputError(path + ": is not a regular file (a device, fifo or socket), not a " + what);
  if (::access(path.c_str(), R_OK) != 0)
    throw InputError(path + ": cannot open " + what + " (" + std::strerror(errno) + ")");
}

std::ifstream open_input(const std::string& path, const std::string& what) {
  check_input(path, what);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open " + what);
  return in;
}

void skip_bom(std::istream& in) {
  const auto start = in.tellg();
  char head[3] = {};
  in.read(head, 3);
  if (in.gcount() == 3 && std::memcmp(head, "\xEF\xBB\xBF", 3) == 0) return;
  in.clear();
  in.seekg(start);
}

}  // namespace parcae::util
