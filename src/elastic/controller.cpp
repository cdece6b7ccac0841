// One decision per interval (see controller.hpp).
#include "parcae/elastic/controller.hpp"

#include <algorithm>
#include <stdexcept>

#include "parcae/elastic/layout_planner.hpp"
#include "parcae/error.hpp"

namespace parcae::elastic {

Policy parse_policy(const std::string& name) {
  if (name == "parcae") return Policy::parcae;
  if (name == "parcae-oracle") return Policy::parcae_oracle;
  if (name == "reactive") return Policy::reactive;
  throw InputError("--policy: unknown policy '" + name + "' (parcae, parcae-oracle, reactive)");
}

const char* to_string(Policy policy) {
  switch (policy) {
    case Policy::parcae:
      return "parcae";
    case Policy::parcae_oracle:
      return "parcae-oracle";
    case Policy::reactive:
      return "reactive";
  }
  return "?";
}

Controller::Controller(liveput::TransitionTable& table, const liveput::Forecaster* forecaster,
                       std::vector<double> layer_costs, std::vector<std::int64_t> layer_bytes,
                       const AvailabilitySource& source, ControllerOptions options)
    : table_(table),
      forecaster_(forecaster),
      layer_costs_(std::move(layer_costs)),
      layer_bytes_(std::move(layer_bytes)),
      source_(source),
      options_(options),
      alive_(source.workers(), false),
      holds_state_(source.workers(), false),
      dead_(source.workers(), false),
      listed_(source.workers(), false),
      present_(options.present > 0 ? std::min(options.present, source.workers())
                                   : source.workers()) {
  if (options_.policy != Policy::reactive && forecaster_ == nullptr) {
    throw std::logic_error("controller: a liveput policy needs a forecaster");
  }
  if (layer_costs_.size() != layer_bytes_.size()) {
    throw std::logic_error("controller: layer costs and sizes disagree");
  }
  for (int r : source.initial_ranks()) {
    listed_[r - 1] = true;
    alive_[r - 1] = r <= present_;
  }
  state_.n = alive_count();
}

void Controller::join(int present) { present_ = std::max(present_, std::min(present, source_.workers())); }

int Controller::highest_wanted(int k) const {
  std::vector<bool> listed = listed_;
  const RankEvent& e = source_.event(k);
  for (int r : e.preempted) listed[r - 1] = false;
  for (int r : e.allocated) listed[r - 1] = true;
  for (int r = static_cast<int>(listed.size()); r >= 1; --r)
    if (listed[r - 1]) return r;
  return 0;
}

std::vector<int> Controller::alive_ranks() const {
  std::vector<int> ranks;
  for (int w = 0; w < source_.workers(); ++w) {
    if (alive_[w]) ranks.push_back(w + 1);
  }
  return ranks;
}

int Controller::alive_count() const {
  return static_cast<int>(std::count(alive_.begin(), alive_.end(), true));
}

std::vector<StageRange> Controller::ranges_for(int pp) const {
  return model::partition_layers(layer_costs_, pp);
}

liveput::Config Controller::choose(int k, const trace::Interval& now) {
  const liveput::CostModel& m = table_.model();
  if (options_.policy == Policy::reactive) {
    const bool event = now.n_in + now.n_out > 0;
    if (!state_.config.training() || event) return m.best_config(now.n);
    return state_.config;
  }
  const auto future =
      forecaster_->forecast(source_.series(), k, source_.intervals(), options_.look_ahead);
  return liveput::decide(table_, state_, now, future);
}

RankEvent Controller::arrive(int k) {
  RankEvent e = source_.event(k);
  for (int r : e.preempted) listed_[r - 1] = false;
  for (int r : e.allocated) listed_[r - 1] = true;
  // A dead process never comes back, and a rank with no process yet has no
  // instance to lose or gain: the trace's events for them are moot.
  const auto no_process = [&](int r) { return dead_[r - 1] || r > present_; };
  std::erase_if(e.allocated, no_process);
  std::erase_if(e.preempted, no_process);
  // A process that joined for an instance the source already had arrives now.
  for (int r = 1; r <= present_; ++r) {
    const bool allocated =
        std::find(e.allocated.begin(), e.allocated.end(), r) != e.allocated.end();
    if (listed_[r - 1] && !alive_[r - 1] && !dead_[r - 1] && !allocated) e.allocated.push_back(r);
  }
  std::sort(e.allocated.begin(), e.allocated.end());
  for (int r : e.preempted) alive_[r - 1] = false;
  for (int r : e.allocated) alive_[r - 1] = true;
  return e;
}

void Controller::begin_at(int k0) {
  if (trained_ || next_ != 0) throw std::logic_error("controller: begin_at after a decision");
  if (k0 < 0 || k0 > source_.intervals()) {
    throw std::logic_error("controller: begin_at(" + std::to_string(k0) + ") outside the " +
                           std::to_string(source_.intervals()) + " intervals");
  }
  for (int k = 0; k < k0; ++k) arrive(k);
  next_ = k0;
  state_.n = alive_count();
}

Decision Controller::decide(int k) {
  if (k != next_) {
    throw std::logic_error("controller: decision for interval " + std::to_string(k) +
                           ", the next is " + std::to_string(next_));
  }
  ++next_;
  Decision d;
  d.interval = k;
  // Preempted ranks lose their state before anything else, unless a notice
  // lets them evacuate it in this reconfiguration.
  std::vector<bool> usable = holds_state_;
  d.event = arrive(k);
  d.evacuate = options_.evacuate;
  const trace::Interval& now = source_.series().intervals.at(k);
  for (int r : d.event.preempted) {
    holds_state_[r - 1] = false;
    if (!options_.evacuate) usable[r - 1] = false;
  }

  liveput::Config target = choose(k, now);
  if (target.training() && target.instances() > alive_count()) {
    target = table_.model().best_config(alive_count());
  }
  d.expected_ms = liveput::expected_migration_ms(table_, state_, now, target);
  const Holdings holdings = layout_ ? Holdings::of(*layout_, ranges_, usable)
                                    : Holdings{std::vector<std::optional<StageRange>>(
                                          static_cast<std::size_t>(source_.workers()))};
  carry_out(d, target, holdings);
  return d;
}

Decision Controller::lose(int k, const std::vector<int>& dead, const Holdings& holdings) {
  Decision d;
  d.interval = k;
  d.event.preempted = dead;
  for (int r : dead) {
    alive_[r - 1] = false;
    dead_[r - 1] = true;
    holds_state_[r - 1] = false;
  }
  // The configuration goes on when it still fits, else the best one that does.
  liveput::Config target = state_.config;
  if (!target.training() || target.instances() > alive_count()) {
    target = table_.model().best_config(alive_count());
  }
  carry_out(d, target, holdings);
  return d;
}

void Controller::carry_out(Decision& d, liveput::Config target, const Holdings& holdings) {
  d.config = target;
  if (!target.training()) {
    if (state_.config.training()) state_.stopped = true;
    state_ = {alive_count(), target, 0.0, state_.stopped};
    layout_.reset();
    ranges_.clear();
    std::fill(holds_state_.begin(), holds_state_.end(), false);
    return;
  }
  d.ranges = ranges_for(target.pp);
  const runtime::Layout next =
      plan_layout(holdings, alive_ranks(), target.dp, target.pp, d.ranges, layer_bytes_);
  std::optional<Previous> previous;
  if (trained_) previous = Previous{layout_ ? &*layout_ : &next, ranges_};
  d.plan = plan_migration(holdings, previous, next, d.ranges, layer_bytes_);
  const bool moves = !d.plan.transfers.empty();
  // The reactive baseline restarts from a checkpoint on every change, as
  // Varuna's job morphing does; --migration hdf5 only where state moves.
  const bool changes = d.plan.kind != Reconfiguration::none &&
                       d.plan.kind != Reconfiguration::start &&
                       d.plan.kind != Reconfiguration::rollback;
  d.via_checkpoint = (moves && options_.through_checkpoint) ||
                     (changes && options_.policy == Policy::reactive);
  if (d.via_checkpoint) {
    d.store_writes = plan_store_writes(holdings, d.ranges.back().end_layer);
    if (d.store_writes.empty()) throw std::logic_error("controller: moves planned from no holder");
  }
  d.layout = next;

  layout_ = next;
  ranges_ = d.ranges;
  trained_ = true;
  std::fill(holds_state_.begin(), holds_state_.end(), false);
  for (int rank = 1; rank <= next.workers(); ++rank) {
    holds_state_[rank - 1] = next.placement_of(rank).has_value();
  }
  state_ = {alive_count(), target, state_.pending_ms, false};
}

}  // namespace parcae::elastic
