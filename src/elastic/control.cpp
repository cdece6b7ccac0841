// Decisions to control messages and back (see control.hpp).
#include "parcae/elastic/control.hpp"

#include <stdexcept>

namespace parcae::elastic {

using runtime::ControlMessage;

namespace {

ControlMessage base_message(const Decision& d, std::int64_t epoch, int workers) {
  ControlMessage m;
  m.epoch = epoch;
  m.interval = d.interval;
  m.preempted = d.event.preempted;
  m.allocated = d.event.allocated;
  m.evacuate = d.evacuate;
  m.placements.assign(workers, -1);
  return m;
}

}  // namespace

ControlMessage control_message(const Decision& d, std::int64_t epoch, int workers,
                               std::int64_t first_step, int steps) {
  ControlMessage m = base_message(d, epoch, workers);
  if (!d.training()) return m;
  const runtime::Layout& layout = *d.layout;
  m.dp = layout.dp();
  m.pp = layout.pp();
  for (int rank = 1; rank <= workers; ++rank) {
    if (const auto p = layout.placement_of(rank))
      m.placements[rank - 1] = p->replica * m.pp + p->stage;
  }
  for (const auto& r : d.ranges) m.stage_starts.push_back(r.first_layer);
  m.stage_starts.push_back(d.ranges.back().end_layer);
  m.state = d.plan.kind == Reconfiguration::start ? ControlMessage::State::fresh
                                                  : ControlMessage::State::kept;
  if (d.via_checkpoint) {
    // Nothing moves rank to rank: the holders save, every stage loads.
    m.state = ControlMessage::State::through_store;
    for (const auto& w : d.store_writes)
      m.saves.push_back({w.rank, w.layers.first_layer, w.layers.end_layer});
  } else {
    for (const auto& t : d.plan.transfers) m.moves.push_back({t.layer, t.from, t.to, t.bytes});
  }
  m.first_step = first_step;
  m.steps = steps;
  return m;
}

ControlMessage idle_message(const Decision& d, std::int64_t epoch, int workers) {
  return base_message(d, epoch, workers);
}

runtime::Layout layout_of(const ControlMessage& m) {
  if (m.dp < 1 || m.pp < 1) {
    return runtime::Layout::parked(static_cast<int>(m.placements.size()));
  }
  std::vector<std::optional<runtime::Placement>> placements(m.placements.size());
  for (std::size_t w = 0; w < m.placements.size(); ++w) {
    if (m.placements[w] >= 0) {
      placements[w] = runtime::Placement{m.placements[w] / m.pp, m.placements[w] % m.pp};
    }
  }
  return runtime::Layout::from_placements(m.dp, m.pp, std::move(placements));
}

std::vector<StageRange> ranges_of(const ControlMessage& m) {
  std::vector<StageRange> ranges;
  for (std::size_t s = 0; s + 1 < m.stage_starts.size(); ++s) {
    ranges.push_back({m.stage_starts[s], m.stage_starts[s + 1]});
  }
  return ranges;
}

MigrationPlan plan_of(const ControlMessage& m) {
  MigrationPlan plan;
  for (const auto& move : m.moves)
    plan.transfers.push_back({move.layer, move.from, move.to, move.bytes});
  return plan;
}

bool keeps_layout(const ControlMessage& previous, const ControlMessage& next) {
  return previous.dp > 0 && next.dp == previous.dp && next.pp == previous.pp &&
         next.placements == previous.placements && next.stage_starts == previous.stage_starts &&
         next.moves.empty() && next.state == ControlMessage::State::kept;
}

}  // namespace parcae::elastic
