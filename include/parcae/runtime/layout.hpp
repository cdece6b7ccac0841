#pragma once
// A layout maps every worker rank (1..W; rank 0 is the coordinator and never
// trains) to a pipeline stage of a data-parallel replica, or parks it. It is a
// plain value: the coordinator computes it, ships it in a control message, and
// every rank derives its communicators from it (regroup).
#include <optional>
#include <string>
#include <vector>

namespace parcae::runtime {

struct Placement {
  int replica = 0;  // r in [0, D)
  int stage = 0;    // s in [0, P)
  bool operator==(const Placement&) const = default;
};

class Layout {
 public:
  // D replicas x P stages on the first D*P of `workers` ranks, replica-major
  // (rank 1 + r*P + s), so a replica's stages are neighbours; the rest are
  // parked spares. Throws InputError when D*P > workers or D, P < 1.
  static Layout dense(int workers, int dp, int pp);

  // Every worker parked (an interval in which no configuration fits): 0 x 0.
  static Layout parked(int workers);

  // Any assignment: placements[w] for worker rank w + 1; every (r, s) with
  // r < dp, s < pp must appear exactly once. Throws InputError otherwise.
  static Layout from_placements(int dp, int pp, std::vector<std::optional<Placement>> placements);

  int dp() const { return dp_; }
  int pp() const { return pp_; }
  int workers() const { return static_cast<int>(placements_.size()); }
  int active() const { return dp_ * pp_; }

  // The placement of world rank `rank` (1..W); nullopt when parked (or rank 0).
  std::optional<Placement> placement_of(int rank) const;
  // The world rank that holds (replica, stage).
  int rank_of(int replica, int stage) const;

  bool operator==(const Layout&) const = default;
  std::string describe() const;  // "2x3 on 7 workers (1 parked)"

 private:
  Layout(int dp, int pp, std::vector<std::optional<Placement>> placements)
      : dp_(dp), pp_(pp), placements_(std::move(placements)) {}
  int dp_ = 0;
  int pp_ = 0;
  std::vector<std::optional<Placement>> placements_;  // index = world rank - 1
};

}  // namespace parcae::runtime
