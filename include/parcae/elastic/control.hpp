#pragma once
// A Decision as the control message every worker receives
// (runtime::ControlMessage, with the other messages in runtime/messages.hpp),
// and back: the layout, the stages' layer ranges and the migration plan.
#include "parcae/elastic/controller.hpp"
#include "parcae/runtime/messages.hpp"

namespace parcae::elastic {

// The message for decision `d` of epoch `epoch`, training steps
// [first_step, first_step + steps). `workers` = the world's worker ranks.
runtime::ControlMessage control_message(const Decision& d, std::int64_t epoch, int workers,
                                        std::int64_t first_step, int steps);

// Every worker parked (an interval in which no configuration fits).
runtime::ControlMessage idle_message(const Decision& d, std::int64_t epoch, int workers);

runtime::Layout layout_of(const runtime::ControlMessage& m);  // all parked: dp = pp = 0 is refused
std::vector<StageRange> ranges_of(const runtime::ControlMessage& m);
MigrationPlan plan_of(const runtime::ControlMessage& m);

// Whether `next` keeps every rank where `previous` put it, with the same
// layers, and moves nothing: then no rank regroups (every rank decides this
// from the two messages alone, so all agree without a word).
bool keeps_layout(const runtime::ControlMessage& previous, const runtime::ControlMessage& next);

}  // namespace parcae::elastic
