// Parser for the Parcae availability-trace format: `timestamp_ms,add|remove,node`.
// Every rejection names the file and line, because a trace is hand-edited and
// cut from cloud logs, and a silent mis-parse would skew every later figure.
#include <fstream>
#include <istream>
#include <ostream>
#include <string_view>
#include <unordered_set>

#include "parcae/error.hpp"
#include "parcae/trace/trace.hpp"
#include "parcae/util/input_file.hpp"
#include "parcae/util/text.hpp"

namespace parcae::trace {
namespace {

using util::trim;

std::int64_t parse_time(std::string_view field, const std::string& source, long line) {
  const auto value = util::parse_number<std::int64_t>(field);
  if (!value) {
    throw input_error_at(source, line, "bad timestamp '" + std::string(field) +
                                           "' (expected whole milliseconds)");
  }
  if (*value < 0) throw input_error_at(source, line, "negative timestamp " + std::string(field));
  return *value;
}

EventKind parse_kind(std::string_view field, const std::string& source, long line) {
  if (field == "add") return EventKind::add;
  if (field == "remove") return EventKind::remove;
  throw input_error_at(source, line,
                       "unknown op '" + std::string(field) + "' (expected add or remove)");
}

// Keeps the set of live nodes so that impossible histories are caught where
// they happen, not as a negative instance count three stages later.
class EventChecker {
 public:
  explicit EventChecker(const std::string& source) : source_(source) {}

  void check(const Event& e, long line) {
    if (e.time_ms < last_time_) {
      throw input_error_at(source_, line, "timestamp " + std::to_string(e.time_ms) +
                                              " goes back (previous " +
                                              std::to_string(last_time_) + ")");
    }
    last_time_ = e.time_ms;
    if (e.kind == EventKind::add && !alive_.insert(e.node).second) {
      throw input_error_at(source_, line, "node '" + e.node + "' added while already alive");
    }
    if (e.kind == EventKind::remove && alive_.erase(e.node) == 0) {
      throw input_error_at(source_, line, "node '" + e.node + "' removed but not alive");
    }
  }

 private:
  const std::string& source_;
  std::int64_t last_time_ = 0;
  std::unordered_set<std::string> alive_;
};

}  // namespace

Trace parse_trace(std::istream& in, const std::string& source_name) {
  Trace trace{source_name, {}};
  EventChecker checker(source_name);
  std::string raw;
  long line = 0;
  util::skip_bom(in);  // else the first timestamp reads as "\xEF\xBB\xBF0"
  while (std::getline(in, raw)) {
    ++line;
    const std::string_view text = trim(raw);
    if (text.empty()) continue;
    const auto c1 = text.find(',');
    const auto c2 = c1 == std::string_view::npos ? c1 : text.find(',', c1 + 1);
    if (c2 == std::string_view::npos || text.find(',', c2 + 1) != std::string_view::npos) {
      throw input_error_at(source_name, line,
                           "expected 3 fields 'timestamp_ms,add|remove,node', got '" +
                               std::string(text) + "'");
    }
    Event e;
    e.time_ms = parse_time(trim(text.substr(0, c1)), source_name, line);
    e.kind = parse_kind(trim(text.substr(c1 + 1, c2 - c1 - 1)), source_name, line);
    e.node = std::string(trim(text.substr(c2 + 1)));
    if (e.node.empty()) throw input_error_at(source_name, line, "empty node name");
    checker.check(e, line);
    trace.events.push_back(std::move(e));
  }
  if (in.bad()) throw InputError(source_name + ": read error");
  if (trace.events.empty()) throw InputError(source_name + ": empty trace (no events)");
  return trace;
}

Trace read_trace_file(const std::string& path) {
  auto in = util::open_input(path, "trace file");
  return parse_trace(in, path);
}

void write_trace(std::ostream& out, const Trace& trace) {
  for (const auto& e : trace.events) {
    out << e.time_ms << ',' << (e.kind == EventKind::add ? "add" : "remove") << ',' << e.node
        << '\n';
  }
}

}  // namespace parcae::trace
