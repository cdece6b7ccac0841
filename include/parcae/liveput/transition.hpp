#pragma once
// Transition table: from N alive instances running D x P (instance k < D*P is
// a replica of stage k % P, the rest are spares), n_out of the N are preempted
// uniformly at random. For every target configuration: the exact probability
// that it is reachable by intra-stage migration, the probability that it is
// reachable without a rollback, and the expected migration time.
//
// Which instances go only matters through how many replicas each stage loses
// (k_s), so an outcome is a loss vector with probability
//   prod_s C(D, k_s) * C(N - D*P, n_out - sum k) / C(N, n_out)
// (multivariate hypergeometric). The intra-stage probability is a coefficient
// of a generating function, [x^n_out] (sum_{k <= D - D'} C(D,k) x^k)^P (1+x)^S,
// so it is exact always. For the expected times, the grid losing j instances
// (probability C(D*P, j) C(S, n_out - j) / C(N, n_out)) is a stratum whose
// mean cost does not depend on N: it is computed once per (D, P, n_out, j) and
// shared by every N. A stratum's mean is an exact sum over its loss vectors
// when there are at most `exact_limit` of them, otherwise the mean of
// `samples` draws of j grid instances (seeded by the key, so the table is
// deterministic). The Parcae artifact samples 1 000-10 000 draws per entry for
// everything.
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "parcae/liveput/cost_model.hpp"
#include "parcae/liveput/migration_cost.hpp"
#include "parcae/liveput/stratum_summary.hpp"
#include "parcae/liveput/target_pruning.hpp"

namespace parcae::liveput {

struct TransitionCost {
  double probability = 0.0;        // reachable without rollback
  double intra_probability = 0.0;  // reachable by intra-stage migration (or no change)
  double expected_ms = 0.0;        // mean migration time over all outcomes
};

struct TransitionEntry {
  std::vector<TransitionCost> by_target;  // indexed like CostModel::configs()
  // expected_ms of the targets the entry was computed for, at
  // TransitionTable::slot(target): the DP reads one entry's targets in a row,
  // and by_target's stride made that a cache miss per target.
  std::vector<double> expected_ms_by_slot;
  bool exact = true;
  long outcomes = 0;  // loss vectors summed, or draws
};

struct TransitionOptions {
  long exact_limit = 1000;  // most loss vectors summed exactly per stratum
  int samples = 400;        // draws per stratum beyond that
  // Targets considered (target_pruning.hpp); automatic = exact while the
  // target must fit in at most `exact_up_to` instances, scaled beyond.
  TargetSet targets = TargetSet::automatic;
  int exact_up_to = 64;
  double scaled_slack = 0.05;  // see scaled_targets
};

class TransitionTable {
 public:
  TransitionTable(const CostModel& model, TransitionOptions options = {});
  // The table keeps a reference to the model: no temporaries.
  TransitionTable(const CostModel&& model, TransitionOptions options = {}) = delete;

  // Cached by (n, from, n_out, scaled); n_out is clamped to n. The reference
  // stays valid for the table's life. A scaled entry holds the costs of
  // targets(from, true) only (the others stay zero).
  const TransitionEntry& entry(int n, Config from, int n_out, bool scaled = false);
  // The same, never cached (for tests and benchmarks).
  TransitionEntry compute(int n, Config from, int n_out, bool scaled = false);

  // Whether targets within `n_target` instances are chosen from the scaled set.
  bool scaled_for(int n_target) const;
  // Target indices considered from configs()[from_index] (-1: not training).
  std::span<const int> targets(int from_index, bool scaled) const;
  bool considers(int from_index, int target, bool scaled) const;
  // Who considers `target`: 0 = every configuration (and not training), else
  // only configurations of this pipeline depth (the scaled set's same-depth
  // column), so the DP visits only those labels for it.
  int considered_from_depth(int target, bool scaled) const {
    return !scaled || source_depth_.empty() ? 0 : source_depth_[target];
  }
  // Where TransitionEntry::expected_ms_by_slot holds `target`: exact, its
  // index; scaled, the targets every source considers first, then those of
  // each depth's column, so one slot serves every source of that depth.
  int slot(int target, bool scaled) const {
    return !scaled || slot_.empty() ? target : slot_[target];
  }
  // samples_per_s of each configuration, by index (the DP's inner loop).
  const std::vector<double>& throughput() const { return throughput_; }

  std::size_t cached_entries() const { return cache_.size(); }
  void clear() { cache_.clear(), strata_.clear(); }
  const CostModel& model() const { return *model_; }
  MigrationCoster& coster() { return coster_; }

  // Index of `c` in model().configs(), or -1.
  int index_of(Config c) const;

 private:
  // Mean over the loss vectors of j grid instances, per target: the cost
  // without its restart in expected_ms, and how often a restart is needed
  // (its kind depends on N, so it is added per entry).
  struct StratumCost {
    TransitionCost cost;
    double restart_probability = 0.0;
  };
  // Exact targets: one sum per target. Scaled: a StratumSummary, and an
  // exactly summed one serves every n_out.
  struct Stratum {
    std::vector<StratumCost> by_target;
    std::vector<StratumSummary> summary;  // empty or one
    bool exact = true;
    long outcomes = 0;
  };
  const Stratum& stratum(Config from, int n_out, int j, bool scaled);
  Stratum compute_stratum(Config from, int n_out, int j, bool scaled);
  void add_outcome(Stratum& st, Config from, std::span<const int> survivors, int n_out,
                   double weight, std::span<const int> targets);
  // Calls add(survivors, weight) for every loss vector of j grid instances,
  // or for `samples` seeded draws of them; returns whether it was exact.
  template <class Add>
  bool for_each_outcome(Config from, int n_out, int j, Add&& add);
  StratumCost stratum_cost(const Stratum& st, int target) const;

  const CostModel* model_;
  TransitionOptions options_;
  MigrationCoster coster_;
  std::unordered_map<std::uint64_t, TransitionEntry> cache_;
  std::unordered_map<std::uint64_t, Stratum> strata_;
  std::vector<MigrationCost> scratch_;
  std::vector<double> throughput_;
  std::vector<int> all_targets_;                   // 0 .. configs - 1
  std::vector<std::vector<int>> scaled_targets_;   // per config index, last = not training
  std::vector<std::vector<char>> scaled_member_;   // the same as flags
  std::vector<int> source_depth_;                  // per target, see considered_from_depth
  std::vector<int> slot_;                          // per target, see slot
  std::vector<int> index_;  // dp * stride + pp -> config index
  int stride_ = 0;
};

// Exact probability that every one of the P stages keeps >= keep of its D
// replicas when n_out of n instances (D*P in the grid) are preempted.
double probability_all_stages_keep(int n, Config from, int n_out, int keep);

// C(n, k) as a double (0 outside 0 <= k <= n).
double choose(int n, int k);

}  // namespace parcae::liveput
