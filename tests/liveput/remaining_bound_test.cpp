// The optimizer's remaining bound against brute force: from every state of
// the small model (each configuration and not training, at every step of
// random forecasts) no path trains more than the bound, with a notice,
// without one and with spares in the job, for the exact and the scaled
// target sets; and the relaxed path is one the optimizer can take.
#include <random>

#include "brute_force.hpp"
#include "parcae/liveput/remaining_bound.hpp"
#include "small_model.hpp"
#include "test_support.hpp"

namespace parcae::liveput {
namespace {

using testing::brute_force_best;

std::vector<std::vector<Interval>> random_forecasts(int count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::vector<Interval>> out;
  for (int f = 0; f < count; ++f) {
    std::vector<Interval> future;
    int n = std::uniform_int_distribution<int>(1, 12)(rng);
    future.push_back({n, n, 0});  // the instances before the forecast: future[0].n
    for (int i = 0; i < 3; ++i) {
      const int out_ = std::uniform_int_distribution<int>(0, std::min(n, 5))(rng);
      const int in = std::uniform_int_distribution<int>(0, 12 - (n - out_))(rng);
      n = n - out_ + in;
      future.push_back({n, in, out_});
    }
    out.push_back(future);
  }
  return out;
}

CostModel variant_model(int variant) {
  CostConstants k;
  k.interval_s = 20;  // migrations weigh, pending time is common
  if (variant == 1) k.notice_s = 0;
  if (variant == 2) k.spares_in_job = true;
  return testing::small_model(k, {1, 6});
}

TEST(RemainingBound, NoPathFromAnyStateTrainsMore) {
  long checked = 0, tighter = 0;
  for (const TargetSet set : {TargetSet::exact, TargetSet::scaled})
    for (int variant = 0; variant < 3; ++variant) {
      const CostModel m = variant_model(variant);
      TransitionTable table(m, {.targets = set});
      const auto& configs = m.configs();
      for (const auto& forecast : random_forecasts(6, 5 + variant)) {
        const int n0 = forecast[0].n;
        const std::span<const Interval> future = std::span(forecast).subspan(1);
        for (int start = -1; start < static_cast<int>(configs.size()); ++start) {
          const Config c = start < 0 ? Config{} : configs[start];
          if (c.instances() > n0) continue;
          for (double pending : {0.0, 30000.0}) {
            const PlannerState s{n0, c, c.training() ? pending : 0.0};
            const RemainingBound b = remaining_bound(table, s, future);
            // Step i >= 1 from each configuration that fits before it.
            for (std::size_t i = 0; i < future.size(); ++i) {
              if (i > 0 && pending > 0.0) break;  // later steps do not depend on the start
              for (int from = -1; from < static_cast<int>(configs.size()); ++from) {
                if (i == 0 && from != start) continue;
                const Config fc = from < 0 ? Config{} : configs[from];
                const int n_before = i == 0 ? n0 : future[i - 1].n;
                if (fc.instances() > n_before) continue;
                const PlannerState at{n_before, fc, i == 0 ? s.pending_ms : 0.0};
                const double best =
                    brute_force_best(table, at, future.subspan(i), set == TargetSet::scaled);
                const double bound = b.value[i][from + 1];
                ASSERT_GE(bound, best - 1e-9 * std::max(1.0, best))
                    << "set " << static_cast<int>(set) << " variant " << variant << " step " << i
                    << " from " << fc.dp << "x" << fc.pp << " n " << n_before;
                // Never looser than best(N) at no cost, the bound it replaced.
                double ideal = 0.0;
                for (std::size_t k = i; k < future.size(); ++k)
                  ideal += m.constants().interval_s * m.samples_per_s(m.best_config(future[k].n));
                ASSERT_LE(bound, ideal * (1 + 1e-12));
                tighter += bound < ideal * (1 - 1e-6);
                ++checked;
              }
            }
          }
        }
      }
    }
  EXPECT_GT(checked, 2000);
  // It charges churn: most states' bounds are below best(N) at no cost.
  EXPECT_GT(tighter, checked / 2) << tighter << " of " << checked;
}

TEST(RemainingBound, RelaxedPathIsOneTheOptimizerCanTake) {
  for (const TargetSet set : {TargetSet::exact, TargetSet::scaled}) {
    const CostModel m = variant_model(0);
    TransitionTable table(m, {.targets = set});
    const auto& configs = m.configs();
    for (const auto& forecast : random_forecasts(10, 3)) {
      const int n0 = forecast[0].n;
      const std::span<const Interval> future = std::span(forecast).subspan(1);
      for (int start = -1; start < static_cast<int>(configs.size()); ++start) {
        const Config c = start < 0 ? Config{} : configs[start];
        if (c.instances() > n0) continue;
        const PlannerState s{n0, c, 0.0};
        const RemainingBound b = remaining_bound(table, s, future);
        const std::vector<Config> path = b.path(m, start);
        ASSERT_EQ(path.size(), future.size());
        int from = start;
        for (std::size_t i = 0; i < path.size(); ++i) {
          const int t = path[i].training() ? table.index_of(path[i]) : -1;
          if (t >= 0) {
            ASSERT_LE(path[i].instances(), future[i].n);
            ASSERT_TRUE(table.considers(from, t, table.scaled_for(future[i].n)));
          }
          from = t;
        }
        const Plan p = plan(table, s, future);
        const double value = evaluate_path(table, s, future, path);
        ASSERT_LE(value, p.expected_samples * (1 + 1e-12) + 1e-9);
        ASSERT_GE(b.value[0][start + 1], p.expected_samples * (1 - 1e-12) - 1e-9);
      }
    }
  }
}

}  // namespace
}  // namespace parcae::liveput
