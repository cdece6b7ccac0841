// Exact transition probabilities and expected costs against brute force over
// every preemption subset (N <= 12), and against Monte Carlo at N = 32.
#include <cmath>
#include <numeric>
#include <random>

#include "paper_setup.hpp"
#include "parcae/liveput/transition.hpp"
#include "small_model.hpp"

namespace parcae::liveput {
namespace {

struct Brute {
  std::vector<double> expected_ms, probability, intra;
};

// Every n_out-subset of the n instances, equally likely.
Brute brute_force(const CostModel& m, int n, Config from, int n_out) {
  MigrationCoster coster(m);
  const auto& configs = m.configs();
  Brute b{std::vector<double>(configs.size()), std::vector<double>(configs.size()),
          std::vector<double>(configs.size())};
  std::vector<int> pick(n, 0);
  std::fill(pick.end() - n_out, pick.end(), 1);
  long subsets = 0;
  do {
    std::vector<int> survivors(from.pp, from.dp);
    for (int k = 0; k < n; ++k)
      if (pick[k] && k < from.instances()) --survivors[k % from.pp];
    std::vector<MigrationCost> all(configs.size());
    coster.costs_to_all(from, survivors, n_out, n, all);
    for (std::size_t t = 0; t < configs.size(); ++t) {
      const MigrationCost c = all[t];
      b.expected_ms[t] += c.ms;
      b.probability[t] += c.kind != MigrationKind::rollback;
      b.intra[t] += c.kind == MigrationKind::none || c.kind == MigrationKind::intra_stage;
    }
    ++subsets;
  } while (std::next_permutation(pick.begin(), pick.end()));
  for (auto* v : {&b.expected_ms, &b.probability, &b.intra})
    for (double& x : *v) x /= subsets;
  return b;
}

void expect_matches_brute_force(const CostModel& m) {
  TransitionTable table(m);
  int checked = 0;
  for (int n = 1; n <= 12; ++n)
    for (Config from : m.configs()) {
      if (from.instances() > n) continue;
      for (int n_out = 0; n_out <= std::min(n, 5); ++n_out) {
        const TransitionEntry e = table.compute(n, from, n_out);
        ASSERT_TRUE(e.exact);
        const Brute b = brute_force(m, n, from, n_out);
        for (std::size_t t = 0; t < m.configs().size(); ++t) {
          const auto& c = e.by_target[t];
          const double tol = 1e-9 * std::max(1.0, b.expected_ms[t]);
          ASSERT_NEAR(c.expected_ms, b.expected_ms[t], tol)
              << "n=" << n << " from " << from.dp << "x" << from.pp << " out " << n_out;
          ASSERT_NEAR(c.probability, b.probability[t], 1e-12);
          ASSERT_NEAR(c.intra_probability, b.intra[t], 1e-12);
        }
        ++checked;
      }
    }
  EXPECT_GT(checked, 200);
}

TEST(Transition, ExactEqualsBruteForceOverAllSubsets) {
  expect_matches_brute_force(testing::small_model());
}

TEST(Transition, ExactEqualsBruteForceWithoutNotice) {
  CostConstants k;
  k.notice_s = 0;  // a stage that lost every replica means rollback
  expect_matches_brute_force(testing::small_model(k));
}

TEST(Transition, ExactEqualsBruteForceWithSparesInTheJob) {
  CostConstants k;
  k.spares_in_job = true;  // the restart kind depends on N: checked per entry
  expect_matches_brute_force(testing::small_model(k));
}

TEST(Transition, IntraProbabilityClosedForm) {
  // 2 x 3 grid + 2 spares, 2 preempted: all stages keep >= 1 unless both
  // replicas of one stage go: 3 of C(8,2) = 28 subsets.
  EXPECT_NEAR(probability_all_stages_keep(8, {2, 3}, 2, 1), 25.0 / 28.0, 1e-15);
  EXPECT_NEAR(probability_all_stages_keep(8, {2, 3}, 2, 2), 1.0 / 28.0, 1e-15);  // both spares
  EXPECT_EQ(probability_all_stages_keep(8, {2, 3}, 0, 2), 1.0);
  EXPECT_EQ(probability_all_stages_keep(8, {2, 3}, 1, 3), 0.0);
}

TEST(Transition, NoEventKeepsConfigurationForFree) {
  const CostModel m = testing::small_model();
  TransitionTable table(m);
  const auto& e = table.entry(10, {2, 4}, 0);
  EXPECT_EQ(e.by_target[table.index_of({2, 4})].expected_ms, 0.0);
  EXPECT_EQ(e.by_target[table.index_of({2, 4})].intra_probability, 1.0);
  EXPECT_EQ(&table.entry(10, {2, 4}, 0), &e);  // cached
  EXPECT_EQ(table.cached_entries(), 1u);
}

// Monte Carlo over preempted subsets at N = 32: mean and standard error per target.
void expect_agrees_with_monte_carlo(const CostModel& m, int n, Config from, int n_out,
                                    bool expect_exact) {
  TransitionTable table(m, expect_exact ? TransitionOptions{1'000'000, 400} : TransitionOptions{});
  const TransitionEntry e = table.compute(n, from, n_out);
  EXPECT_EQ(e.exact, expect_exact);
  MigrationCoster coster(m);
  const int draws = 20000;
  const auto& configs = m.configs();
  std::vector<double> sum(configs.size()), sum2(configs.size());
  std::mt19937_64 rng(12345);
  std::vector<int> ids(n);
  for (int d = 0; d < draws; ++d) {
    std::iota(ids.begin(), ids.end(), 0);
    std::shuffle(ids.begin(), ids.end(), rng);
    std::vector<int> survivors(from.pp, from.dp);
    for (int j = 0; j < n_out; ++j)
      if (ids[j] < from.instances()) --survivors[ids[j] % from.pp];
    std::vector<MigrationCost> all(configs.size());
    coster.costs_to_all(from, survivors, n_out, n, all);
    for (std::size_t t = 0; t < configs.size(); ++t) {
      const double c = all[t].ms;
      sum[t] += c, sum2[t] += c * c;
    }
  }
  for (std::size_t t = 0; t < configs.size(); ++t) {
    const double mean = sum[t] / draws;
    const double var = std::max(0.0, sum2[t] / draws - mean * mean);
    double se2 = var / draws;
    if (!e.exact) se2 += var / TransitionOptions{}.samples;  // the table's own sampling error
    const double tol = 4.0 * std::sqrt(se2) + 1e-9 * mean;
    EXPECT_NEAR(e.by_target[t].expected_ms, mean, tol)
        << "target " << configs[t].dp << "x" << configs[t].pp;
  }
}

TEST(Transition, AgreesWithMonteCarloAtN32Exact) {
  PARCAE_REQUIRE_SHARED("profiles/gpt-1.5b_mbs1_gbs128.csv");
  const CostModel m = testing::paper_model();
  expect_agrees_with_monte_carlo(m, 32, {4, 8}, 3, true);
  expect_agrees_with_monte_carlo(m, 32, {2, 13}, 4, true);
}

TEST(Transition, AgreesWithMonteCarloAtN32Sampled) {
  PARCAE_REQUIRE_SHARED("profiles/gpt-1.5b_mbs1_gbs128.csv");
  const CostModel m = testing::paper_model();
  expect_agrees_with_monte_carlo(m, 32, {1, 32}, 6, false);
}

TEST(Transition, RepartitionChargesEveryStage) {
  // From 1 x 2 to 1 x 4 with nothing preempted. Old stages [0,6) [6,10), new
  // [0,3) [3,5) [5,8) [8,10) (the artifact's partition). New stage 0 takes old
  // stage 0's instance (nothing missing), new stage 1 the other instance
  // (missing layers 3, 4); stages 2 and 3 find no instance left and fetch all.
  const CostModel m = testing::small_model();
  MigrationCoster coster(m);
  const std::vector<int> survivors = {1, 1};
  const MigrationCost c = coster.cost({1, 2}, survivors, 0, 2, {1, 4});
  EXPECT_EQ(c.kind, MigrationKind::pipeline);
  const auto& l = m.layers();
  const double missing = static_cast<double>((l[3] + l[4]) + (l[5] + l[6] + l[7]) + (l[8] + l[9]));
  const double want = m.p2p_ms(missing * 12) + m.restart_ms({1, 4}, RestartKind::add);
  EXPECT_NEAR(c.ms, want, 1e-9);
}

}  // namespace
}  // namespace parcae::liveput
