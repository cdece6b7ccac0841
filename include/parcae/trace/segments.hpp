#pragma once
// The paper's four one-hour segments of the published p3trace
// (../shared/traces/README.md), in hours from the trace start: high or low
// availability x high or low preemption.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parcae::trace {

struct Segment {
  std::string name;
  double start_hour = 0.0;
  double end_hour = 0.0;
};

// hl 1.5-2.5, hh 5.5-6.5, lh 8-9, ll 10-11, in that order.
const std::vector<Segment>& paper_segments();

// The paper segment called `name`, if there is one.
std::optional<Segment> paper_segment(std::string_view name);

}  // namespace parcae::trace
