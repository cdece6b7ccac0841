// The controller decides as the simulator does, and every decision is one the
// workers can carry out: layouts on alive ranks, transfers from live holders,
// a rollback exactly when state was lost.
#include "parcae/elastic/controller.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "parcae/error.hpp"
#include "parcae/trace/trace.hpp"

namespace parcae::elastic {
namespace {

using liveput::Config;

constexpr int kWorkers = 8;
const std::vector<double> kCosts = {1, 2, 2, 2, 2, 3};  // tiny: embedding, 4 blocks, head
const std::vector<std::int64_t> kBytes = {400, 200, 200, 200, 200, 400};

double grows_with_d(int dp, int pp) { return 10.0 * dp * std::pow(pp, 0.7); }

// Throughput grows with D and (less) with P by default; every D x P <= 8, P <= 6 runs.
liveput::CostModel tiny_cost_model(double (*samples_per_s)(int dp, int pp) = grows_with_d) {
  std::vector<liveput::ProfileRow> rows;
  for (int dp = 1; dp <= kWorkers; ++dp)
    for (int pp = 1; pp <= 6 && dp * pp <= kWorkers; ++pp)
      rows.push_back({{dp, pp}, 100.0, samples_per_s(dp, pp)});
  liveput::CostConstants k;
  k.notice_s = 0;  // no evacuation: a stage that loses every replica rolls back
  k.build_layers = 4;
  const std::vector<std::pair<double, double>> p2p = {{4, 10}, {1 << 20, 500}};
  return liveput::CostModel(liveput::ThroughputTable(rows, "tiny"), liveput::P2pTable(p2p),
                            {100, 50, 50, 50, 50, 100}, k, {1, 6});
}

trace::Trace scripted(const std::string& csv) {
  std::istringstream in(csv);
  return trace::parse_trace(in, "scripted");
}

// What a worker could hold after carrying out `d`, checked against the decision.
void check_decision(const Decision& d, const std::vector<bool>& alive_after) {
  if (!d.training()) return;
  const auto& next = *d.layout;
  for (int rank = 1; rank <= next.workers(); ++rank) {
    if (next.placement_of(rank)) {
      ASSERT_TRUE(alive_after[rank - 1]) << "interval " << d.interval;
    }
  }
  for (int r : d.event.preempted) {
    for (const auto& t : d.plan.transfers) ASSERT_NE(t.from, r) << "interval " << d.interval;
  }
}

TEST(Controller, ParsesPolicies) {
  EXPECT_EQ(parse_policy("parcae"), Policy::parcae);
  EXPECT_EQ(parse_policy("parcae-oracle"), Policy::parcae_oracle);
  EXPECT_EQ(parse_policy("reactive"), Policy::reactive);
  try {
    parse_policy("bamboo");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'bamboo'"), std::string::npos);
  }
}

// With the oracle and the simulator's own accounting of pending time, the
// controller picks every interval's configuration exactly as simulate_liveput.
TEST(Controller, OracleDecidesAsTheSimulator) {
  const auto model = tiny_cost_model();
  trace::GeneratorParams p;
  p.capacity = kWorkers;
  p.initial = 6;
  p.intervals = 120;
  p.preempt_hazard = 0.03;
  p.alloc_rate = 0.05;
  p.seed = 11;
  const auto source = AvailabilitySource::synthetic(p, kWorkers, 3);
  liveput::OracleForecaster oracle;

  liveput::TransitionTable sim_table(model);
  liveput::SimulationOptions options;
  const auto sim = liveput::simulate_liveput(sim_table, source.series(), {0, source.intervals()},
                                             oracle, options, "parcae-oracle");

  liveput::TransitionTable table(model);
  Controller c(table, &oracle, kCosts, kBytes, source, {Policy::parcae_oracle});
  double pending = 0.0;
  int reconfigurations = 0;
  std::vector<bool> alive(kWorkers, false);
  for (int r : source.initial_ranks()) alive[r - 1] = true;
  for (int k = 0; k < source.intervals(); ++k) {
    const Decision d = c.decide(k);
    for (int r : d.event.preempted) alive[r - 1] = false;
    for (int r : d.event.allocated) alive[r - 1] = true;
    check_decision(d, alive);
    if (HasFatalFailure()) return;
    ASSERT_EQ(d.config, sim.timeline[k].config) << "interval " << k;
    if (d.training()) {
      const auto o =
          liveput::account_interval(model.constants().interval_ms(), pending, d.expected_ms,
                                    model.restart_ms(d.config, liveput::RestartKind::remove));
      pending = o.pending_ms;
    } else {
      pending = 0.0;
    }
    c.set_pending_ms(pending);
    reconfigurations += d.plan.kind != Reconfiguration::none;
  }
  EXPECT_GT(reconfigurations, 5);
}

// A scripted trace: 6 instances on 8 ranks. Each interval's decision has the
// kind its events force.
TEST(Controller, ScriptedEventsForceEachKind) {
  const auto model = tiny_cost_model();
  // Interval 0: instances a-f arrive on ranks 1-6. 1: f (rank 6) goes.
  // 2: g and h arrive and take the lowest free ranks, 6 and 7. 3: a and b
  // (ranks 1 and 2) go.
  const auto source = AvailabilitySource::replay(
      scripted("0,add,a\n0,add,b\n0,add,c\n0,add,d\n0,add,e\n0,add,f\n"
               "60000,remove,f\n120000,add,g\n120000,add,h\n180000,remove,a\n180000,remove,b\n"),
      60.0, kWorkers, 1);
  liveput::TransitionTable table(model);
  Controller c(table, nullptr, kCosts, kBytes, source, {Policy::reactive});
  const Decision d0 = c.decide(0);
  EXPECT_EQ(d0.plan.kind, Reconfiguration::start);
  EXPECT_EQ(d0.config, (Config{6, 1}));  // the throughput-best on 6
  const Decision d1 = c.decide(1);
  EXPECT_EQ(d1.config, (Config{5, 1}));
  EXPECT_EQ(d1.plan.kind, Reconfiguration::intra_stage);  // the survivors regroup
  EXPECT_TRUE(d1.via_checkpoint);  // reactive restarts from the store on every change
  // ... saved by the lowest survivor, which holds every layer (1 x P = 1).
  ASSERT_EQ(d1.store_writes.size(), 1u);
  EXPECT_EQ(d1.store_writes[0].rank, 1);
  const Decision d2 = c.decide(2);
  EXPECT_EQ(d2.config, (Config{7, 1}));
  EXPECT_EQ(d2.plan.kind, Reconfiguration::grow);
  EXPECT_TRUE(d2.via_checkpoint);  // reactive moves state through the store
  EXPECT_EQ(d2.plan.destinations(), (std::vector<int>{6, 7}));
  const Decision d3 = c.decide(3);
  EXPECT_EQ(d3.config, (Config{5, 1}));
  EXPECT_EQ(d3.plan.kind, Reconfiguration::intra_stage);
  ASSERT_EQ(d3.store_writes.size(), 1u);
  EXPECT_EQ(d3.store_writes[0].rank, 3);  // ranks 1 and 2 are gone
}

TEST(Controller, LosingEveryHolderOfALayerRollsBack) {
  const auto model = tiny_cost_model();
  // Four instances, all preempted at once, then one comes back: whatever the
  // layout was, no rank holds any layer.
  const auto source = AvailabilitySource::replay(
      scripted("0,add,a\n0,add,b\n0,add,c\n0,add,d\n60000,remove,a\n60000,remove,b\n"
               "60000,remove,c\n60000,remove,d\n120000,add,e\n"),
      60.0, 4, 1);
  liveput::TransitionTable table(model);
  liveput::OracleForecaster oracle;
  Controller c(table, &oracle, kCosts, kBytes, source, {Policy::parcae_oracle});
  EXPECT_EQ(c.decide(0).plan.kind, Reconfiguration::start);
  const Decision idle = c.decide(1);  // nobody left
  EXPECT_FALSE(idle.training());
  const Decision back = c.decide(2);
  EXPECT_TRUE(back.training());
  EXPECT_EQ(back.plan.kind, Reconfiguration::rollback);
  EXPECT_EQ(back.plan.lost_layers.size(), 6u);
}

TEST(Controller, EvacuationKeepsDoomedRanksAsSources) {
  const auto model = tiny_cost_model();
  // 1 x 2 on ranks 1-2 would lose stage 0 with rank 1; ranks 3 and 4 arrive.
  const auto source = AvailabilitySource::replay(
      scripted("0,add,a\n0,add,b\n60000,remove,a\n60000,remove,b\n60000,add,c\n60000,add,d\n"),
      60.0, 4, 1);
  liveput::TransitionTable table(model);
  ControllerOptions evacuate{Policy::reactive};
  evacuate.evacuate = true;
  Controller c(table, nullptr, kCosts, kBytes, source, evacuate);
  c.decide(0);
  const Decision d = c.decide(1);
  ASSERT_TRUE(d.training());
  EXPECT_NE(d.plan.kind, Reconfiguration::rollback);
  for (const auto& t : d.plan.transfers) EXPECT_TRUE(t.from == 1 || t.from == 2);

  liveput::TransitionTable table2(model);
  Controller lost(table2, nullptr, kCosts, kBytes, source, {Policy::reactive});
  lost.decide(0);
  EXPECT_EQ(lost.decide(1).plan.kind, Reconfiguration::rollback);
}

// A death is a preemption that no trace announced. Here 2 x 3 is best on six
// or seven ranks, 2 x 2 on four or five.
double two_by_three_best(int dp, int pp) {
  if (dp == 2 && pp == 3) return 100;
  if (dp == 2 && pp == 2) return 60;
  return 10.0 * dp * pp;
}

// Every active rank of the current layout holds its stage, but the dead.
Holdings survivors_of(const Controller& c, const std::vector<int>& dead) {
  std::vector<bool> usable = c.holders();
  for (int r : dead) usable[r - 1] = false;
  return Holdings::of(*c.layout(), c.ranges(), usable);
}

const char* kSteadySeven = "0,add,a\n0,add,b\n0,add,c\n0,add,d\n0,add,e\n0,add,f\n0,add,g\n";

TEST(Controller, ADeathWithASpareStepsTheSpareIn) {
  const auto model = tiny_cost_model(two_by_three_best);
  const auto source = AvailabilitySource::replay(scripted(kSteadySeven), 60.0, 7, 1);
  liveput::TransitionTable table(model);
  Controller c(table, nullptr, kCosts, kBytes, source, {Policy::reactive});
  const Decision start = c.decide(0);
  ASSERT_EQ(start.config, (Config{2, 3}));
  const int victim = start.layout->rank_of(0, 1);
  const Decision d = c.lose(0, {victim}, survivors_of(c, {victim}));
  ASSERT_TRUE(d.training());
  EXPECT_EQ(d.config, (Config{2, 3}));
  EXPECT_EQ(d.plan.kind, Reconfiguration::inter_stage);
  EXPECT_FALSE(d.layout->placement_of(victim).has_value());
  const int partner = start.layout->rank_of(1, 1);
  ASSERT_FALSE(d.plan.transfers.empty());
  for (const auto& t : d.plan.transfers) EXPECT_EQ(t.from, partner);
}

TEST(Controller, ADeathWithoutASpareShrinksFromLiveReplicas) {
  const auto model = tiny_cost_model(two_by_three_best);
  const auto source = AvailabilitySource::replay(
      scripted("0,add,a\n0,add,b\n0,add,c\n0,add,d\n0,add,e\n0,add,f\n"), 60.0, 6, 1);
  liveput::TransitionTable table(model);
  Controller c(table, nullptr, kCosts, kBytes, source, {Policy::reactive});
  const Decision start = c.decide(0);
  ASSERT_EQ(start.config, (Config{2, 3}));
  const int victim = start.layout->rank_of(1, 2);
  const Decision d = c.lose(0, {victim}, survivors_of(c, {victim}));
  ASSERT_TRUE(d.training());
  EXPECT_EQ(d.config, (Config{2, 2}));
  EXPECT_EQ(d.plan.kind, Reconfiguration::pipeline);
  EXPECT_TRUE(d.plan.lost_layers.empty());
  EXPECT_FALSE(d.layout->placement_of(victim).has_value());
  for (const auto& t : d.plan.transfers) EXPECT_NE(t.from, victim);
}

TEST(Controller, LosingEveryReplicaOfAStageRollsBackAndTheDeadNeverReturn) {
  const auto model = tiny_cost_model(two_by_three_best);
  // Seven instances; in interval 1 the trace preempts and re-allocates; in
  // interval 2 it allocates the ranks that died (their instances are gone).
  const auto source = AvailabilitySource::replay(
      scripted(std::string(kSteadySeven) + "60000,remove,g\n120000,add,h\n120000,add,i\n"),
      60.0, 7, 1);
  liveput::TransitionTable table(model);
  Controller c(table, nullptr, kCosts, kBytes, source, {Policy::reactive});
  const Decision start = c.decide(0);
  ASSERT_EQ(start.config, (Config{2, 3}));
  const std::vector<int> dead = {start.layout->rank_of(0, 1), start.layout->rank_of(1, 1)};
  const Decision d = c.lose(0, dead, survivors_of(c, dead));
  ASSERT_TRUE(d.training());
  EXPECT_EQ(d.plan.kind, Reconfiguration::rollback);
  EXPECT_FALSE(d.plan.lost_layers.empty());
  for (int interval = 1; interval <= 2; ++interval) {
    const Decision later = c.decide(interval);
    for (int r : dead) {
      EXPECT_FALSE(later.training() && later.layout->placement_of(r)) << "interval " << interval;
      EXPECT_EQ(std::count(later.event.allocated.begin(), later.event.allocated.end(), r), 0);
    }
  }
}

TEST(Controller, InstancesWithoutAProcessWaitUntilOneJoins) {
  const auto model = tiny_cost_model(two_by_three_best);
  // Four instances, then two more in interval 2: the job has processes for
  // four workers, and two may join (the source knows six ranks).
  const auto source = AvailabilitySource::replay(
      scripted("0,add,a\n0,add,b\n0,add,c\n0,add,d\n120000,add,e\n120000,add,f\n"), 60.0,
      6, 1);
  liveput::TransitionTable table(model);
  ControllerOptions options{Policy::reactive};
  options.present = 4;
  Controller c(table, nullptr, kCosts, kBytes, source, options);
  EXPECT_EQ(c.highest_wanted(0), 4);
  const Decision start = c.decide(0);
  EXPECT_EQ(c.alive_count(), 4);
  EXPECT_EQ(c.highest_wanted(1), 4);
  c.decide(1);
  ASSERT_EQ(c.highest_wanted(2), 6);
  c.join(6);
  EXPECT_EQ(c.present(), 6);
  const Decision grown = c.decide(2);
  EXPECT_EQ(grown.event.allocated, (std::vector<int>{5, 6}));
  EXPECT_EQ(c.alive_count(), 6);
  ASSERT_TRUE(grown.training());
  EXPECT_EQ(grown.config, (Config{2, 3}));
  EXPECT_TRUE(grown.layout->placement_of(5).has_value());
  EXPECT_TRUE(grown.layout->placement_of(6).has_value());
  for (const auto& t : grown.plan.transfers) EXPECT_LE(t.from, 4);
  (void)start;
}

TEST(Controller, WithoutAJoinTheExtraInstancesNeverReachARank) {
  const auto model = tiny_cost_model(two_by_three_best);
  const auto source = AvailabilitySource::replay(
      scripted("0,add,a\n0,add,b\n0,add,c\n0,add,d\n0,add,e\n60000,add,f\n"), 60.0, 6, 1);
  liveput::TransitionTable table(model);
  ControllerOptions options{Policy::reactive};
  options.present = 4;
  Controller c(table, nullptr, kCosts, kBytes, source, options);
  for (int k = 0; k < source.intervals(); ++k) {
    const Decision d = c.decide(k);
    EXPECT_EQ(c.alive_count(), 4) << "interval " << k;
    for (int r : d.event.allocated) EXPECT_LE(r, 4);
    if (d.training()) {
      for (int r = 5; r <= 6; ++r) EXPECT_FALSE(d.layout->placement_of(r).has_value());
    }
  }
  // An instance that was up before its process joined arrives with it.
  c.join(5);
  EXPECT_EQ(c.highest_wanted(source.intervals() - 1), 6);
}


// A resumed job begins at the checkpoint's interval: the ranks alive there,
// and the rank each instance took, are those of the job that decided every
// interval before it, for every interval it could resume at, on a scripted
// trace (identity replay: ranks freed and taken again) and a scaled synthetic
// one (the preempted ranks drawn at random). Its first decision is a start on
// those ranks, and from then on both see the same events.
TEST(Controller, BeginningAtAnIntervalReplaysTheEventsBeforeIt) {
  const auto model = tiny_cost_model();
  // 16 instances scaled to 8 ranks, frequent events.
  const trace::GeneratorParams p{
      .capacity = 16, .initial = 12, .intervals = 40, .alloc_rate = 0.3, .preempt_hazard = 0.1,
      .seed = 5};
  const std::vector<AvailabilitySource> sources = {
      AvailabilitySource::replay(
          scripted("0,add,a\n0,add,b\n0,add,c\n0,add,d\n120000,remove,c\n300000,add,e\n"
                   "420000,remove,a\n420000,remove,b\n540000,add,f\n600000,add,g\n"),
          60.0, kWorkers, 1),
      AvailabilitySource::synthetic(p, kWorkers, 3)};
  for (const auto& source : sources) {
    for (int k0 = 0; k0 < source.intervals(); ++k0) {
      liveput::TransitionTable table_a(model), table_b(model);
      Controller decided(table_a, nullptr, kCosts, kBytes, source, {Policy::reactive});
      Controller resumed(table_b, nullptr, kCosts, kBytes, source, {Policy::reactive});
      for (int k = 0; k < k0; ++k) decided.decide(k);
      resumed.begin_at(k0);
      EXPECT_EQ(resumed.alive_ranks(), decided.alive_ranks()) << "before interval " << k0;
      for (int k = k0; k < std::min(k0 + 3, source.intervals()); ++k) {
        const Decision a = decided.decide(k);
        const Decision b = resumed.decide(k);
        EXPECT_EQ(b.event.preempted, a.event.preempted) << "interval " << k << " from " << k0;
        EXPECT_EQ(b.event.allocated, a.event.allocated) << "interval " << k << " from " << k0;
        ASSERT_EQ(resumed.alive_ranks(), decided.alive_ranks()) << "interval " << k;
        if (k == k0 && b.training()) {
          EXPECT_EQ(b.plan.kind, Reconfiguration::start) << k0;
        }
        if (!b.training()) continue;
        const auto alive = resumed.alive_ranks();
        for (int r = 1; r <= b.layout->workers(); ++r) {
          if (b.layout->placement_of(r)) {
            EXPECT_TRUE(std::count(alive.begin(), alive.end(), r)) << "rank " << r << ", " << k;
          }
        }
      }
    }
  }
}

TEST(Controller, BeginsOnlyBeforeTheFirstDecision) {
  const auto model = tiny_cost_model();
  const auto source = AvailabilitySource::replay(scripted(kSteadySeven), 60.0, kWorkers, 1);
  liveput::TransitionTable table(model);
  Controller c(table, nullptr, kCosts, kBytes, source, {Policy::reactive});
  c.decide(0);
  EXPECT_THROW(c.begin_at(0), std::logic_error);
  EXPECT_THROW(c.decide(2), std::logic_error);  // intervals are decided in turn
}

}  // namespace
}  // namespace parcae::elastic
