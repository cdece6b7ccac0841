#include "parcae/liveput/remaining_bound.hpp"

#include <algorithm>

namespace parcae::liveput {

std::vector<Config> RemainingBound::path(const CostModel& model, int start) const {
  std::vector<Config> out;
  int c = start;
  for (std::size_t i = 0; i + 1 < value.size(); ++i) {
    c = move[i][c + 1];
    out.push_back(c < 0 ? Config{} : model.configs()[c]);
  }
  return out;
}

RemainingBound remaining_bound(TransitionTable& table, const PlannerState& state,
                               std::span<const Interval> future) {
  const CostModel& m = table.model();
  const auto& configs = m.configs();
  const std::size_t count = configs.size();
  const MigrationCoster& coster = table.coster();
  const double interval_ms = m.constants().interval_ms();
  const bool spares_in_job = m.constants().spares_in_job;
  const std::vector<double>& thr = table.throughput();
  int most = 0, max_dp = 0;
  for (Config c : configs) most = std::max(most, c.instances()), max_dp = std::max(max_dp, c.dp);
  const int depths = m.num_layers() + 1;
  struct Best {
    double v = -1.0;  // below any value: no target
    int t = -1;
    void offer(const Best& o) {
      if (o.v > v) *this = o;
    }
  };
  auto gain = [&](std::size_t t, double lower_ms, double after) {
    return Best{thr[t] * std::max(0.0, interval_ms - lower_ms) / 1000.0 + after, static_cast<int>(t)};
  };
  RemainingBound out;
  out.value.assign(future.size() + 1, std::vector<double>(count + 1, 0.0));
  out.move.assign(future.size() + 1, std::vector<int>(count + 1, -1));
  // far_remove[k]: best far move into <= k instances with a 'remove' restart;
  // far_add[k]: into > k instances with an 'add' one. down[d][dp]: best move
  // into depth d with <= dp replicas; up[d][dp]: with >= dp.
  std::vector<Best> far_remove(most + 2), far_add(most + 2);
  std::vector<std::vector<Best>> down(depths, std::vector<Best>(max_dp + 2)), up = down;
  for (std::size_t i = future.size(); i-- > 0;) {
    const std::vector<double>& next = out.value[i + 1];
    std::vector<double>& here = out.value[i];
    const int n = future[i].n, n_before = i == 0 ? state.n : future[i - 1].n;
    const int n_out = std::clamp(future[i].n_out, 0, std::max(0, n_before));
    std::fill(far_remove.begin(), far_remove.end(), Best{});
    std::fill(far_add.begin(), far_add.end(), Best{});
    for (auto& col : down) std::fill(col.begin(), col.end(), Best{});
    for (auto& col : up) std::fill(col.begin(), col.end(), Best{});
    const bool scaled = table.scaled_for(n);
    for (std::size_t t = 0; t < count; ++t) {
      const Config c = configs[t];
      if (c.instances() > n) continue;
      // A target of a scaled set's column is a move within its depth only.
      const bool from_any_depth = table.considered_from_depth(static_cast<int>(t), scaled) == 0;
      const double add = coster.restart_ms(t, RestartKind::add);
      const double remove = coster.restart_ms(t, RestartKind::remove);
      const double rollback = coster.rollback_ms(t), after = next[t + 1];
      const double broadcast = coster.broadcast_ms(t);
      const double cheapest_restart = std::min(add, remove);
      if (from_any_depth) {
        far_remove[c.instances()].offer(gain(t, std::min(remove + broadcast, rollback), after));
        far_add[c.instances() - 1].offer(gain(t, std::min(add + broadcast, rollback), after));
      }
      down[c.pp][c.dp].offer(
          gain(t, std::min({coster.intra_ms(t), cheapest_restart, rollback}), after));
      up[c.pp][c.dp].offer(gain(t, std::min(spares_in_job ? cheapest_restart : add, rollback), after));
    }
    for (int k = 1; k <= most + 1; ++k) far_remove[k].offer(far_remove[k - 1]);
    for (int k = most; k-- > 0;) far_add[k].offer(far_add[k + 1]);
    for (int d = 1; d < depths; ++d) {
      for (int r = 1; r <= max_dp + 1; ++r) down[d][r].offer(down[d][r - 1]);
      for (int r = max_dp; r-- > 0;) up[d][r].offer(up[d][r + 1]);
    }
    // Not training: a start is an 'add' restart and a broadcast.
    Best idle{next[0], -1};
    Best start = idle;
    start.offer(far_add[0]);
    here[0] = start.v, out.move[i][0] = start.t;
    for (std::size_t c = 0; c < count; ++c) {
      const Config from = configs[c];
      Best best = idle;
      if (from.instances() <= n_before) {
        if (from.instances() <= n) {
          // Staying first: of equal bounds the path keeps its configuration.
          const int spares = n_before - from.instances();
          const double hit = 1.0 - choose(spares, n_out) / choose(n_before, n_out);
          const int kept_grid = (spares_in_job ? n_before : from.instances()) - n_out;
          const RestartKind kind = from.instances() > kept_grid ? RestartKind::add : RestartKind::remove;
          best.offer(gain(c, hit * std::min(coster.restart_ms(c, kind), coster.rollback_ms(c)),
                          next[c + 1]));
        }
        // Targets above `kept` instances restart with 'add'.
        const int kept = std::clamp((spares_in_job ? n_before : from.instances()) - n_out, 0, most);
        best.offer(far_remove[kept]);
        best.offer(far_add[kept]);
        best.offer(down[from.pp][from.dp - 1]);
        best.offer(up[from.pp][std::min(from.dp + 1, max_dp + 1)]);
      }
      here[c + 1] = best.v, out.move[i][c + 1] = best.t;
    }
  }
  return out;
}

}  // namespace parcae::liveput
