#include "plot_option.hpp"

#include "parcae/error.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <vector>

extern char** environ;

namespace parcae::cli {
namespace {

constexpr const char* kPython = "/usr/bin/python3";
constexpr int kNoMatplotlib = 3;  // tools/plot_timeline.py's exit code for a missing matplotlib

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The script beside the build tree (build/parcae -> tools/), else the source tree's.
std::string plot_script() {
  if (const char* env = std::getenv("PARCAE_PLOT_TIMELINE")) return env;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto beside = exe.parent_path().parent_path() / "tools" / "plot_timeline.py";
    if (std::filesystem::exists(beside, ec)) return beside.string();
  }
  return PARCAE_TOOLS_DIR "/plot_timeline.py";
}

// Runs argv without a shell (no quoting of paths); the exit status, or -1.
int run_program(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

}  // namespace

void add_plot_option(po::options_description& options) {
  options.add_options()("plot", po::value<std::string>()->value_name("FILE.png"),
                        "draw the --timeline as a PNG (or .svg) with tools/plot_timeline.py "
                        "(needs python3-matplotlib; the run never fails for want of it)");
}

std::optional<std::string> plot_path_from(const po::variables_map& vm) {
  if (!vm.count("plot")) return std::nullopt;
  const auto path = vm["plot"].as<std::string>();
  if (!vm.count("timeline")) throw InputError("--plot draws the --timeline: give --timeline OUT too");
  if (!ends_with(path, ".png") && !ends_with(path, ".svg"))
    throw InputError("--plot: '" + path + "' names neither a .png nor an .svg");
  return path;
}

void plot_timeline(const std::string& timeline, const std::string& image, std::ostream& log,
                   const std::string& title) {
  const char* install = "apt-get install python3-matplotlib (Debian) to get plots";
  if (access(kPython, X_OK) != 0) {
    log << "--plot: no " << kPython << "; " << install << "\n";
    return;
  }
  std::vector<std::string> args{kPython, plot_script(), timeline, "--out", image};
  if (ends_with(image, ".svg")) args.push_back("--svg");
  if (!title.empty()) args.insert(args.end(), {"--title", title});
  const int rc = run_program(args);
  if (rc == 0)
    log << "--plot: wrote " << image << "\n";
  else if (rc == kNoMatplotlib)
    log << "--plot: matplotlib is missing; " << install << "\n";
  else
    log << "--plot: " << args[1] << " failed (exit " << rc << "); no plot written, the run is fine\n";
}

}  // namespace parcae::cli
