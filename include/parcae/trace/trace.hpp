#pragma once
// Availability traces: the events of a spot cluster (an instance allocated or
// preempted at a time), in the Parcae CSV format `timestamp_ms,add|remove,node`.
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace parcae::trace {

enum class EventKind { add, remove };

struct Event {
  std::int64_t time_ms = 0;
  EventKind kind = EventKind::add;
  std::string node;
};

struct Trace {
  std::string source;  // file name (or "<generated>"), for messages
  std::vector<Event> events;
};

// Parses the event format. Throws InputError naming `source_name:line` for a
// malformed line, an unknown op, a timestamp going back, a removal of a node
// that is not alive, a second add of a live node, or an empty input.
// CRLF line endings and blank lines are accepted.
Trace parse_trace(std::istream& in, const std::string& source_name);
Trace read_trace_file(const std::string& path);

// Writes the same format parse_trace reads.
void write_trace(std::ostream& out, const Trace& trace);

}  // namespace parcae::trace
