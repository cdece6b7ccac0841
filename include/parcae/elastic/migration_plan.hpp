#pragma once
// Migration as a pure function: who holds live state of which layers now, and
// the layout to train next, give the shard transfers that bring every new
// (replica, stage) all of its layers, each from a live holder. The kinds
// (DESIGN.md), decided from the plan itself:
//   none        the layout is unchanged and nothing moves;
//   intra-stage the survivors are regrouped (fewer or other complete
//               pipelines), no state moves;
//   inter-stage P unchanged, some ranks change stage (or a spare steps in) and
//               receive that stage's shards from a live replica;
//   grow        P unchanged, more replicas than before: new ranks receive their
//               stage's shards;
//   pipeline    the stages' layer ranges changed: each new stage pulls the layers
//               it lacks from a live holder;
//   rollback    some layer has no live holder: every rank reloads the last
//               complete checkpoint and the lost steps are redone;
//   start       nothing has trained yet: every rank initialises its layers.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "parcae/model/partition.hpp"
#include "parcae/runtime/layout.hpp"

namespace parcae::elastic {

using model::StageRange;
using runtime::Layout;

// The layers whose current state each worker rank holds (index = rank - 1).
struct Holdings {
  std::vector<std::optional<StageRange>> by_rank;

  // The active ranks of `layout` (stage s holding ranges[s]) that `usable`
  // keeps; the rest hold nothing (parked, or state lost in a preemption).
  static Holdings of(const Layout& layout, std::span<const StageRange> ranges,
                     const std::vector<bool>& usable);
  int workers() const { return static_cast<int>(by_rank.size()); }
  bool holds(int rank, int layer) const;
  // Live holders of `layer`, ascending.
  std::vector<int> holders(int layer) const;
};

enum class Reconfiguration { none, start, intra_stage, inter_stage, grow, pipeline, rollback };
const char* to_string(Reconfiguration kind);  // "intra-stage", ...

// One layer's shard from a live holder to the rank that will need it.
struct Transfer {
  int layer = 0;
  int from = 0;  // world rank
  int to = 0;
  std::int64_t bytes = 0;
  bool operator==(const Transfer&) const = default;
};

struct MigrationPlan {
  Reconfiguration kind = Reconfiguration::none;
  std::vector<Transfer> transfers;  // empty for rollback and start
  std::vector<int> lost_layers;     // layers no live rank holds (rollback)
  std::int64_t bytes() const;
  std::vector<int> sources() const;       // ranks that send, ascending
  std::vector<int> destinations() const;  // ranks that receive, ascending
};

// The training configuration that holdings come from, for the kind (nullopt
// before anything has trained).
struct Previous {
  const Layout* layout = nullptr;
  std::vector<StageRange> ranges;
};

// Every layer of every active rank of `next` (stage s: next_ranges[s]) comes
// from the rank itself when it holds it, else from the live holder that has
// sent the fewest bytes so far (ties: the lowest rank), so sources share the
// load. `layer_bytes[l]` is layer l's shard size. Throws std::logic_error
// when next_ranges do not tile the model's layers.
MigrationPlan plan_migration(const Holdings& holdings, const std::optional<Previous>& previous,
                             const Layout& next, std::span<const StageRange> next_ranges,
                             std::span<const std::int64_t> layer_bytes);

// A checkpoint of the live state, for a change that goes through the store
// (--policy reactive, --migration hdf5): `rank` saves `layers`.
struct StoreWrite {
  int rank = 0;
  StageRange layers;
  bool operator==(const StoreWrite&) const = default;
};

// Who saves what so that every one of the model's `layers` is written once:
// each layer by its lowest live holder, a holder's consecutive layers in one
// write, in layer order. Empty when some layer has no live holder (that is a
// rollback: the state is gone, nothing can save it).
std::vector<StoreWrite> plan_store_writes(const Holdings& holdings, int layers);

}  // namespace parcae::elastic
