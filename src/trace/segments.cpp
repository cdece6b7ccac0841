// The paper's segments (see segments.hpp).
#include "parcae/trace/segments.hpp"

namespace parcae::trace {

const std::vector<Segment>& paper_segments() {
  static const std::vector<Segment> segments = {
      {"hl", 1.5, 2.5}, {"hh", 5.5, 6.5}, {"lh", 8.0, 9.0}, {"ll", 10.0, 11.0}};
  return segments;
}

std::optional<Segment> paper_segment(std::string_view name) {
  for (const auto& s : paper_segments())
    if (s.name == name) return s;
  return std::nullopt;
}

}  // namespace parcae::trace
