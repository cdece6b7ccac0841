#pragma once
// `--plot FILE.png` on simulate and train: draws the run's --timeline with
// tools/plot_timeline.py (Python 3 + matplotlib). Plotting is a convenience: when
// python3 or matplotlib is missing, or the script fails, the run says so and how to
// fix it, and still succeeds.
#include <iosfwd>
#include <optional>
#include <string>

#include "command.hpp"

namespace parcae::cli {

void add_plot_option(po::options_description& options);

// The image to draw, if --plot was given. Throws InputError when --plot comes without
// --timeline (the plot reads that file) or names neither a .png nor an .svg.
std::optional<std::string> plot_path_from(const po::variables_map& vm);

// Runs the plot script on `timeline`, writing `image` (titled `title` unless empty: the
// script's own names the file or the run); reports on `log`, never throws.
void plot_timeline(const std::string& timeline, const std::string& image, std::ostream& log,
                   const std::string& title = "");

}  // namespace parcae::cli
