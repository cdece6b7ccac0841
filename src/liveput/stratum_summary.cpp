#include "parcae/liveput/stratum_summary.hpp"

#include <algorithm>

namespace parcae::liveput {

StratumSummary::StratumSummary(MigrationCoster& coster, Config from,
                               std::span<const int> targets)
    : from_(from) {
  const CostModel& m = coster.model();
  const auto& configs = m.configs();
  std::vector<char> seen(m.num_layers() + 1, 0);
  for (const int t : targets) {
    const Config c = configs[t];
    if (c.pp == from.pp) max_dp_ = std::max(max_dp_, c.dp);
    else if (!seen[c.pp]) seen[c.pp] = 1, depths_.push_back({c.pp, &coster.repartition(from.pp, c.pp, from.dp)});
  }
  std::stable_sort(depths_.begin(), depths_.end(), [](const Depth& a, const Depth& b) {
    return a.plan->most_used > b.plan->most_used;
  });
  w_by_min_left_.assign(from.dp + 1, 0.0);
  rollback_possible_ = m.constants().notice_s <= 0.0;
  transfer_ms_.assign(m.num_layers() + 1, 0.0);
  intra_at_.assign(max_dp_ + 2, 0.0);
  inter_ms_.assign(max_dp_ + 1, 0.0);
  w_inter_.assign(max_dp_ + 1, 0.0);
}

void StratumSummary::add(MigrationCoster& coster, std::span<const int> survivors, double weight) {
  const auto& stage_ms = coster.model().stage_transfer_ms(from_.pp);
  worst_by_count_.assign(from_.dp + 1, 0.0);
  int min_left = from_.dp;
  double lost = 0.0;
  short_.clear();
  for (int s = 0; s < from_.pp; ++s) {
    const int r = survivors[s];
    if (r < from_.dp) short_.push_back(s);
    min_left = std::min(min_left, r);
    if (r == 0) lost += stage_ms[s];
    worst_by_count_[r] = std::max(worst_by_count_[r], stage_ms[s]);
  }
  ++outcomes_;
  if (rollback_possible_ && min_left == 0) {
    w_rollback_ += weight;
    return;
  }
  w_move_ += weight;
  intra_at_[std::min(min_left, max_dp_)] += weight;
  // D' > min_left: the stages with fewer than D' survivors are short.
  double worst = 0.0;
  for (int r = 0; r < std::min(min_left, from_.dp + 1); ++r) worst = std::max(worst, worst_by_count_[r]);
  for (int d = min_left + 1; d <= max_dp_; ++d) {
    if (d - 1 <= from_.dp) worst = std::max(worst, worst_by_count_[d - 1]);
    inter_ms_[d] += weight * std::max(worst, lost);
    w_inter_[d] += weight;
  }
  w_by_min_left_[min_left] += weight;
  for (const Depth& d : depths_) {
    if (d.plan->most_used <= min_left) break;  // this and the rest: the all-alive transfer
    transfer_ms_[d.pp] += weight * coster.repartition_transfer_ms(*d.plan, survivors, short_);
  }
}

void StratumSummary::finish() {
  for (int k = max_dp_; k-- > 0;) intra_at_[k] += intra_at_[k + 1];
  for (const Depth& d : depths_) {
    double w = 0.0;
    for (int k = d.plan->most_used; k <= from_.dp; ++k) w += w_by_min_left_[k];
    transfer_ms_[d.pp] += w * d.plan->transfer_all_alive_ms;
  }
}

StratumSummary::Cost StratumSummary::cost(const MigrationCoster& coster, int target) const {
  const Config c = coster.model().configs()[target];
  const double rollback = w_rollback_ * coster.rollback_ms(target);
  if (c.pp != from_.pp)
    return {transfer_ms_[c.pp] + w_move_ * coster.broadcast_ms(target) + rollback, w_move_, w_move_};
  // Intra-stage when every stage keeps c.dp; keeping the grid intact costs nothing.
  const double intra = c == from_ ? 0.0 : intra_at_[c.dp] * coster.intra_ms(target);
  return {intra + inter_ms_[c.dp] + rollback, w_inter_[c.dp], w_move_};
}

}  // namespace parcae::liveput
