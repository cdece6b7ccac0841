// Layouts: which worker rank is which stage of which replica (see layout.hpp).
#include <sstream>

#include "parcae/error.hpp"
#include "parcae/runtime/layout.hpp"

namespace parcae::runtime {

Layout Layout::dense(int workers, int dp, int pp) {
  if (dp < 1 || pp < 1) throw InputError("--dp and --pp must be at least 1");
  if (dp * pp > workers) {
    throw InputError("--dp " + std::to_string(dp) + " x --pp " + std::to_string(pp) + " needs " +
                     std::to_string(dp * pp) + " workers, but only " + std::to_string(workers) +
                     " are running (mpirun -np " + std::to_string(dp * pp + 1) +
                     ": one more rank for the coordinator)");
  }
  std::vector<std::optional<Placement>> placements(workers);
  for (int k = 0; k < dp * pp; ++k) placements[k] = Placement{k / pp, k % pp};
  return Layout(dp, pp, std::move(placements));
}

Layout Layout::parked(int workers) {
  return Layout(0, 0, std::vector<std::optional<Placement>>(workers));
}

Layout Layout::from_placements(int dp, int pp, std::vector<std::optional<Placement>> placements) {
  if (dp < 1 || pp < 1) throw InputError("layout: dp and pp must be at least 1");
  std::vector<int> seen(static_cast<std::size_t>(dp) * pp, 0);
  for (const auto& p : placements) {
    if (!p) continue;
    if (p->replica < 0 || p->replica >= dp || p->stage < 0 || p->stage >= pp) {
      throw InputError("layout: placement (" + std::to_string(p->replica) + ", " +
                       std::to_string(p->stage) + ") outside " + std::to_string(dp) + "x" +
                       std::to_string(pp));
    }
    ++seen[static_cast<std::size_t>(p->replica) * pp + p->stage];
  }
  for (std::size_t k = 0; k < seen.size(); ++k) {
    if (seen[k] != 1) {
      throw InputError("layout: replica " + std::to_string(k / pp) + " stage " +
                       std::to_string(k % pp) + " is held by " + std::to_string(seen[k]) +
                       " ranks (exactly one needed)");
    }
  }
  return Layout(dp, pp, std::move(placements));
}

std::optional<Placement> Layout::placement_of(int rank) const {
  if (rank < 1 || rank > workers()) return std::nullopt;
  return placements_[rank - 1];
}

int Layout::rank_of(int replica, int stage) const {
  for (int w = 0; w < workers(); ++w) {
    if (placements_[w] == Placement{replica, stage}) return w + 1;
  }
  throw std::logic_error("layout has no rank for replica " + std::to_string(replica) +
                         " stage " + std::to_string(stage));
}

std::string Layout::describe() const {
  std::ostringstream s;
  s << dp_ << "x" << pp_ << " on " << workers() << " workers";
  if (workers() > active()) s << " (" << workers() - active() << " parked)";
  return s.str();
}

}  // namespace parcae::runtime
