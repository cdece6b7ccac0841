#pragma once
// Opening an input file the same way everywhere: a missing file, a directory,
// or something that is not a regular file (a device such as /dev/full reads
// zeros forever, a fifo blocks) is refused with InputError naming the path,
// before a single byte is read.
#include <fstream>
#include <istream>
#include <string>

namespace parcae::util {

// `what` names the kind of file in the message: "PATH: cannot open trace file
// (No such file or directory)", "PATH: is a directory, not a trace file".
std::ifstream open_input(const std::string& path, const std::string& what);

// Throws the same InputError as open_input when `path` is not a readable
// regular file, without opening it.
void check_input(const std::string& path, const std::string& what);

// Skips a UTF-8 byte-order mark (EF BB BF) at the start of `in`, as editors on
// Windows write one; anything else is left unread.
void skip_bom(std::istream& in);

}  // namespace parcae::util
