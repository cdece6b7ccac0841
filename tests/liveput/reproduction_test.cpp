// The paper's accounting reproduced exactly (../shared/profiles/README.md).
#include "paper_setup.hpp"
#include "parcae/liveput/simulator.hpp"

namespace parcae::liveput {
namespace {

using testing::p3trace;
using testing::paper_model;

TEST(Reproduction, BestConfigScanOrder) {
  PARCAE_REQUIRE_SHARED("profiles/gpt-1.5b_mbs1_gbs128.csv");
  const CostModel m = paper_model();
  EXPECT_EQ(m.best_config(32), (Config{4, 8}));
  for (int n : {30, 31}) EXPECT_EQ(m.best_config(n), (Config{3, 10})) << n;
  for (int n = 26; n <= 29; ++n) EXPECT_EQ(m.best_config(n), (Config{2, 13})) << n;
  for (int n : {24, 25}) EXPECT_EQ(m.best_config(n), (Config{3, 8})) << n;
  EXPECT_EQ(m.best_config(12), (Config{2, 6}));
  for (int n = 6; n <= 11; ++n) EXPECT_EQ(m.best_config(n), (Config{1, n})) << n;
  EXPECT_FALSE(m.best_config(5).training());
  EXPECT_FALSE(m.best_config(0).training());
}

TEST(Reproduction, CostFormulas) {
  PARCAE_REQUIRE_SHARED("profiles/gpt-1.5b_mbs1_gbs128.csv");
  const CostModel m = paper_model();
  const double build8 = m.p2p_ms(50257.0 * 1024 * 4) + 430.0 * 6;
  EXPECT_DOUBLE_EQ(m.model_build_ms(8), build8);
  EXPECT_NEAR(m.model_build_ms(13), 234.8 + 430.0 * 4, 0.05);
  const double groups = 4 + 8 + 1 + 32;
  EXPECT_DOUBLE_EQ(m.rebuild_ms({4, 8}, RestartKind::add), 35 + groups * 500);
  EXPECT_DOUBLE_EQ(m.rebuild_ms({4, 8}, RestartKind::remove), 35 + groups * 39.3);
  EXPECT_DOUBLE_EQ(m.restart_ms({4, 8}, RestartKind::add), 6600 + 35 + groups * 500 + 240 + build8);
  EXPECT_DOUBLE_EQ(m.restart_ms({4, 8}, RestartKind::remove), 35 + groups * 39.3 + 240 + build8);
  EXPECT_DOUBLE_EQ(m.intra_stage_ms({4, 8}), 35 + groups * 39.3 + 240);
  double transfers = 0.0;
  for (auto p : m.stage_params(8)) transfers += m.p2p_ms(p * 12.0);
  EXPECT_DOUBLE_EQ(m.checkpoint_restart_ms({4, 8}, RestartKind::remove, false),
                   m.restart_ms({4, 8}, RestartKind::remove) + 14000 + transfers);
  EXPECT_DOUBLE_EQ(m.checkpoint_restart_ms({4, 8}, RestartKind::add, true),
                   m.restart_ms({4, 8}, RestartKind::add) + transfers);
}

TEST(Reproduction, BadConstantsAreInputErrors) {
  PARCAE_REQUIRE_SHARED("profiles/gpt-1.5b_mbs1_gbs128.csv");
  CostConstants k;
  k.checkpoint_ms = -1;
  EXPECT_THROW(paper_model(k), InputError);
  k = {};
  k.interval_s = 0;
  EXPECT_THROW(paper_model(k), InputError);
}

TEST(Reproduction, IdealAndReactiveOnP3trace) {
  PARCAE_REQUIRE_SHARED("traces/p3trace.csv");
  PARCAE_REQUIRE_SHARED("profiles/gpt-1.5b_mbs1_gbs128.csv");
  const CostModel m = paper_model();
  const trace::Series s = p3trace();
  ASSERT_EQ(s.intervals.size(), 683u);
  const Span all{0, 683};
  const PolicyResult ideal = simulate_ideal(m, s, all);
  EXPECT_NEAR(ideal.samples, 1'506'023.7, 1.0);
  const PolicyResult reactive = simulate_reactive(m, s, all);
  EXPECT_NEAR(reactive.samples, 1'171'346.2, 0.005 * 1'171'346.2);
  EXPECT_EQ(reactive.reconfigurations, 163);
}

}  // namespace
}  // namespace parcae::liveput
