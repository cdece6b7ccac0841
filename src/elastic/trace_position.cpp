// A checkpoint's place in the trace (see trace_position.hpp).
#include "parcae/elastic/trace_position.hpp"

#include "parcae/error.hpp"

namespace parcae::elastic {
namespace {

constexpr const char* kKey = "elastic";

int count_at(const nlohmann::json& record, const char* name) {
  const auto it = record.find(name);
  if (it == record.end() || !it->is_number_integer() || it->get<std::int64_t>() < 0 ||
      it->get<std::int64_t>() > INT32_MAX) {
    throw InputError(std::string("field 'training.") + kKey + "." + name +
                     "' is missing or not a count");
  }
  return it->get<int>();
}

}  // namespace

TracePosition position_after(int k, int steps_into, int interval_steps) {
  if (interval_steps <= 0) return {k, 0};
  if (steps_into >= interval_steps) return {k + 1, 0};
  return {k, steps_into};
}

nlohmann::json to_json(const TracePosition& at) {
  return {{"interval", at.interval}, {"steps_into_interval", at.steps_done}};
}

TracePosition position_of(const nlohmann::json& training, std::int64_t step, int interval_steps) {
  const auto it = training.find(kKey);
  if (it == training.end()) {
    if (interval_steps <= 0) return {};
    return {static_cast<int>(step / interval_steps), static_cast<int>(step % interval_steps)};
  }
  if (!it->is_object()) throw InputError(std::string("field 'training.") + kKey + "' is not an object");
  return {count_at(*it, "interval"), count_at(*it, "steps_into_interval")};
}

}  // namespace parcae::elastic
