#pragma once
// Every message ranks exchange, in one place: a tag per kind (one number
// space, so two kinds never meet on a tag), a named type per kind, and its
// encode/decode pair. A message travels as bytes (MPI_BYTE) under its tag; the
// decoder checks that the bytes are exactly one message of that kind, so a
// sender and receiver that disagree on a layout fail loudly, not with numbers
// read from the wrong field.
//
// Adding a message: a struct below, a Tag, and the three lines that tie them
// (kTagOf, encode, decode). Encoder/Decoder take scalars, strings, vectors and
// nested structs with their own encode/decode, so a control message (epoch,
// layout, migration plan, steps to run) or a "shard written" report is written
// the same way as these.
#include <mpi.h>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "parcae/ckpt/manifest.hpp"

namespace parcae::runtime {

enum class Tag : int {
  step_report = 9001,           // a replica's last stage -> coordinator, every step
  eval_report = 9002,           // the same, every evaluation
  release = 9003,               // coordinator -> parked rank: the job is over
  profile_measurements = 9004,  // profile: rank 1's measurements -> every rank
  allreduce_figures = 9005,     // bench pipeline: rank 1's allreduce timing -> rank 0
  control = 9006,               // elastic: coordinator -> every worker, one per decision
  migration_report = 9007,      // elastic: every worker -> coordinator, after a decision
  waiting_notice = 9008,        // a worker waiting long -> coordinator (waiting.hpp)
  checkpoint_request = 9020,    // a rank that heard a signal -> first worker (elastic: coordinator)
  shards_saved = 9021,          // the first replica of each stage -> coordinator, per checkpoint
  abort_step = 9030,            // recovery: coordinator -> every living worker, a rank died
  survivor_report = 9031,       // recovery: every living worker -> coordinator, what it holds
  survivors = 9032,             // recovery: coordinator -> every survivor, who goes on, from where
  join_spawn = 9040,            // join: coordinator -> each spawned worker, after the merge
  device_seat = 9050,           // a data group's member -> the group's first, at a new layout
  device_seats = 9051,          // the group's first -> every member (a broadcast)
};

const char* tag_name(Tag tag);

// --- the messages -------------------------------------------------------------

struct StepReport {
  int step = 0;
  double loss_sum = 0;  // sum of micro-batch mean losses
  int micro_batches = 0;
  double grad_norm = 0;  // before clipping
  double lr = 0;
  double ms = 0;  // wall time of the step on the reporting rank
  // Where the time went: the 1F1B pipeline (on the reporting stage), the
  // slowest stage's pure compute within it, and the data-parallel allreduce.
  double pipeline_ms = 0;
  double compute_ms = 0;
  double allreduce_ms = 0;
  // How the workers agreed to end the step (a StepEnd, step_end.hpp): the
  // coordinator then expects the checkpoint's reports, or the job to stop.
  int end = 0;
  bool operator==(const StepReport&) const = default;
};

struct EvalReport {
  int step = 0;
  double loss_sum = 0;
  int micro_batches = 0;
  bool operator==(const EvalReport&) const = default;
};

// The job is over: a parked rank may leave its wait. `stopped`: it ended
// early on a stop request, after its checkpoint (every rank exits 75).
struct Release {
  bool stopped = false;
  bool operator==(const Release&) const = default;
};

// A rank that does not train (the coordinator, a parked one) heard a signal:
// it asks the first worker, which adds it to its own wish at the next step's
// end (a StepEnd, step_end.hpp). In an elastic run every worker asks the
// coordinator, which answers between intervals (elastic/job.hpp).
struct CheckpointRequest {
  int end = 0;
  bool operator==(const CheckpointRequest&) const = default;
};

// What `parcae profile` measures on rank 1 and every rank needs: per-layer
// forward/backward times and sizes, AdamW's cost, the allreduce bandwidth and
// the point-to-point table (bytes, one-way microseconds).
struct ProfileMeasurements {
  struct Layer {
    double forward_ms = 0, backward_ms = 0;
    std::int64_t params = 0;
    bool operator==(const Layer&) const = default;
  };
  std::vector<Layer> layers;
  double optimizer_ns_per_param = 0;
  double allreduce_gbps = 0;
  std::vector<std::pair<double, double>> p2p;
  bool operator==(const ProfileMeasurements&) const = default;
};

// `parcae bench pipeline`: the gradient allreduce as rank 1 timed it.
struct AllreduceFigures {
  double bytes = 0, bucketed_ms = 0, plain_ms = 0;
  bool operator==(const AllreduceFigures&) const = default;
};

// One shard to move: layer `layer` from world rank `from` to `to`.
struct ShardMove {
  int layer = 0, from = 0, to = 0;
  std::int64_t bytes = 0;
  bool operator==(const ShardMove&) const = default;
};

// Layers [first_layer, end_layer) that world rank `rank` saves to the
// checkpoint store, as the `stage`-th part of the checkpoint a change goes
// through (ControlMessage::State::through_store).
struct StoreSave {
  int rank = 0, first_layer = 0, end_layer = 0;
  bool operator==(const StoreSave&) const = default;
};

// Where rank 0 listens for its workers' liveness connections (liveness.hpp):
// its host name and TCP port (0: nowhere, the job watches silence alone).
struct LivenessAddress {
  std::string host;
  int port = 0;
  bool operator==(const LivenessAddress&) const = default;
};

// The elastic coordinator's decision for an interval (elastic/control.hpp
// builds it): the layout, the layers of each stage, who lost state, the shard
// moves, and the steps to train. A message that repeats the last epoch only
// asks for more steps (a wall-clock interval trains on), or, with `saves` and
// no steps, asks the named ranks to save the current state as the checkpoint
// of first_step (a signal's request, answered between intervals).
struct ControlMessage {
  enum class State : int {
    kept = 0,   // every position's layers are kept or moved from live holders
    fresh = 1,  // initialised from the seed (nothing trained yet, or lost with no checkpoint)
    checkpoint = 2,  // rolled back: every stage reads its layers from the checkpoint of first_step
    // The change goes through the store (--policy reactive, --migration hdf5):
    // the ranks in `saves` write the current state as the checkpoint of
    // first_step (none: that checkpoint exists already), then every stage
    // reads its layers from it, as after a rollback but with nothing redone.
    through_store = 3,
  };
  std::int64_t epoch = 0;
  int interval = 0;
  bool finish = false;          // the job is over
  // With finish: it stopped early on a request, after its checkpoint (every rank exits 75).
  bool stopped = false;
  int dp = 0, pp = 0;           // 0 x 0: every worker parked for the interval
  std::vector<int> placements;  // per worker rank w (index w - 1): replica * pp + stage, -1 parked
  std::vector<int> stage_starts;  // first layer of each stage, then the model's layer count
  std::vector<int> preempted;     // ranks whose state is lost in this interval
  std::vector<int> allocated;     // ranks that arrive in this interval
  bool evacuate = false;          // preempted ranks still send their shards first
  std::vector<ShardMove> moves;
  State state = State::kept;
  std::vector<StoreSave> saves;  // through_store: who writes which layers
  std::int64_t first_step = 0;
  int steps = 0;
  // Before anything else, every living rank takes in this many new worker
  // processes the coordinator started (MPI_Intercomm_create, collective) and
  // merges with them: they follow the living ranks in the merged world, which
  // replaces the world from then on (elastic/join.hpp). The ranks this
  // message names are already the merged world's.
  int joiners = 0;
  // In a job that recovers: where a worker opens its liveness connection, the
  // first time it is told (the coordinator's death is then seen at once).
  LivenessAddress liveness;
  bool operator==(const ControlMessage&) const = default;
};

// A worker has carried out a decision: how long it took, what it moved.
struct MigrationReport {
  std::int64_t epoch = 0;
  double seconds = 0;
  std::int64_t bytes_sent = 0, bytes_received = 0;
  double transfer_seconds = 0;
  bool operator==(const MigrationReport&) const = default;
};

// A worker has waited `waited_s` for these world ranks and still waits.
struct WaitingNotice {
  std::vector<int> waiting_for;
  double waited_s = 0;
  bool operator==(const WaitingNotice&) const = default;
};

// A stage's shards of a checkpoint are on disk (ckpt's records of them): the
// coordinator writes the manifest once every stage's have come.
struct ShardsSaved {
  std::int64_t step = 0;  // optimizer steps done: the checkpoint's step folder
  int stage = 0;
  std::vector<ckpt::ShardRecord> shards;
  double stall_s = 0;  // training waited this long (the copy; the whole write with --checkpoint-sync)
  double write_s = 0;  // from the copy to the files on disk
  bool operator==(const ShardsSaved&) const = default;
};

// Recovery from a dead worker (runtime/membership.hpp, elastic/worker.hpp): the
// coordinator found `dead` silent past --death-seconds; every living worker
// gives up what it waits on and reports.
struct AbortStep {
  std::int64_t epoch = 0;  // the recovery's epoch (a control message's epoch space)
  std::vector<int> dead;   // every world rank lost so far
  bool operator==(const AbortStep&) const = default;
};

// What a survivor still holds after an abort: layers [first_layer, end_layer)
// trained through `step` optimizer steps (end_layer = first_layer = 0: nothing).
struct SurvivorReport {
  std::int64_t epoch = 0;
  int first_layer = 0, end_layer = 0;
  std::int64_t step = 0;
  bool operator==(const SurvivorReport&) const = default;
};

// The survivors (world ranks, ascending, rank 0 first) build their
// communicator; state at `step` steps is what goes on (other state is dropped).
struct Survivors {
  std::int64_t epoch = 0;
  std::vector<int> ranks;
  std::int64_t step = 0;
  bool operator==(const Survivors&) const = default;
};

// A spawned worker's welcome (elastic/join.hpp), on the merged world: its
// world rank there, the workers of that world, the decision it joins at (it
// spawns nothing for that one), and the job's death deadline (0: the job does
// not recover from deaths), which the joiner keeps whatever its own
// environment says; its job rank (the coordinator's name for it, which a
// renumbering merge does not change) and where it opens its liveness
// connection (liveness.hpp).
struct JoinSpawn {
  std::int64_t epoch = 0;
  int rank = 0;
  int workers = 0;
  double death_seconds = 0;
  int job_rank = 0;
  LivenessAddress liveness;
  bool operator==(const JoinSpawn&) const = default;
};

// Where a worker computes, told to its data group when a layout starts: its
// node (MPI_Get_processor_name) and its card (Backend::card(): a GPU's PCI bus
// id, empty on the CPU). NCCL sums a group's gradients only when every member
// has a GPU of its own (stage_links.hpp).
struct DeviceSeat {
  std::string node, card;
  bool operator==(const DeviceSeat&) const = default;
};

// Every member's seat, by rank in the group.
struct DeviceSeats {
  std::vector<DeviceSeat> seats;
  bool operator==(const DeviceSeats&) const = default;
};

template <typename M>
inline constexpr Tag kTagOf = M::no_tag_declared_for_this_type;
template <>
inline constexpr Tag kTagOf<JoinSpawn> = Tag::join_spawn;
template <>
inline constexpr Tag kTagOf<DeviceSeat> = Tag::device_seat;
template <>
inline constexpr Tag kTagOf<DeviceSeats> = Tag::device_seats;
template <>
inline constexpr Tag kTagOf<AbortStep> = Tag::abort_step;
template <>
inline constexpr Tag kTagOf<SurvivorReport> = Tag::survivor_report;
template <>
inline constexpr Tag kTagOf<Survivors> = Tag::survivors;
template <>
inline constexpr Tag kTagOf<StepReport> = Tag::step_report;
template <>
inline constexpr Tag kTagOf<EvalReport> = Tag::eval_report;
template <>
inline constexpr Tag kTagOf<Release> = Tag::release;
template <>
inline constexpr Tag kTagOf<ProfileMeasurements> = Tag::profile_measurements;
template <>
inline constexpr Tag kTagOf<AllreduceFigures> = Tag::allreduce_figures;
template <>
inline constexpr Tag kTagOf<ControlMessage> = Tag::control;
template <>
inline constexpr Tag kTagOf<MigrationReport> = Tag::migration_report;
template <>
inline constexpr Tag kTagOf<WaitingNotice> = Tag::waiting_notice;
template <>
inline constexpr Tag kTagOf<CheckpointRequest> = Tag::checkpoint_request;
template <>
inline constexpr Tag kTagOf<ShardsSaved> = Tag::shards_saved;

// --- bytes ----------------------------------------------------------------------

using Bytes = std::vector<std::byte>;

// Fixed-width fields in the machines' byte order (the ranks of one job share it).
static_assert(std::endian::native == std::endian::little, "messages assume little-endian ranks");

class Encoder {
 public:
  template <typename T>
  void put(const T& value) {
    if constexpr (std::is_arithmetic_v<T>) {
      const auto at = bytes_.size();
      bytes_.resize(at + sizeof(T));
      std::memcpy(bytes_.data() + at, &value, sizeof(T));
    } else {
      encode(*this, value);
    }
  }
  template <typename A, typename B>
  void put(const std::pair<A, B>& p) {
    put(p.first);
    put(p.second);
  }
  template <typename T>
  void put(const std::vector<T>& items) {
    put(static_cast<std::uint64_t>(items.size()));
    for (const auto& item : items) put(item);
  }
  void put(const std::string& text) {
    put(static_cast<std::uint64_t>(text.size()));
    const auto at = bytes_.size();
    bytes_.resize(at + text.size());
    std::memcpy(bytes_.data() + at, text.data(), text.size());
  }
  Bytes take() { return std::move(bytes_); }

 private:
  Bytes bytes_;
};

// Throws std::runtime_error naming the message when the bytes run out or are
// left over.
class Decoder {
 public:
  Decoder(const Bytes& bytes, Tag tag) : bytes_(bytes), tag_(tag) {}
  template <typename T>
  void get(T& value) {
    if constexpr (std::is_arithmetic_v<T>) {
      need(sizeof(T));
      std::memcpy(&value, bytes_.data() + at_, sizeof(T));
      at_ += sizeof(T);
    } else {
      decode(*this, value);
    }
  }
  template <typename A, typename B>
  void get(std::pair<A, B>& p) {
    get(p.first);
    get(p.second);
  }
  template <typename T>
  void get(std::vector<T>& items) {
    std::uint64_t n = 0;
    get(n);
    static_assert(!std::is_empty_v<T>, "every item takes at least one byte");
    need(n);  // at least a byte per item: a corrupt count fails here, not in a huge loop
    items.clear();
    for (std::uint64_t i = 0; i < n; ++i) get(items.emplace_back());
  }
  void get(std::string& text) {
    std::uint64_t n = 0;
    get(n);
    need(n);
    text.assign(reinterpret_cast<const char*>(bytes_.data() + at_), n);
    at_ += n;
  }
  // Every byte read: nothing left over.
  void finish() const;

 private:
  void need(std::uint64_t n) const;
  const Bytes& bytes_;
  Tag tag_;
  std::size_t at_ = 0;
};

void encode(Encoder& e, const StepReport& m);
void decode(Decoder& d, StepReport& m);
void encode(Encoder& e, const EvalReport& m);
void decode(Decoder& d, EvalReport& m);
void encode(Encoder& e, const Release& m);
void decode(Decoder& d, Release& m);
void encode(Encoder& e, const ProfileMeasurements::Layer& m);
void decode(Decoder& d, ProfileMeasurements::Layer& m);
void encode(Encoder& e, const ProfileMeasurements& m);
void decode(Decoder& d, ProfileMeasurements& m);
void encode(Encoder& e, const AllreduceFigures& m);
void decode(Decoder& d, AllreduceFigures& m);
void encode(Encoder& e, const ShardMove& m);
void decode(Decoder& d, ShardMove& m);
void encode(Encoder& e, const StoreSave& m);
void decode(Decoder& d, StoreSave& m);
void encode(Encoder& e, const LivenessAddress& m);
void decode(Decoder& d, LivenessAddress& m);
void encode(Encoder& e, const ControlMessage& m);
void decode(Decoder& d, ControlMessage& m);
void encode(Encoder& e, const MigrationReport& m);
void decode(Decoder& d, MigrationReport& m);
void encode(Encoder& e, const WaitingNotice& m);
void decode(Decoder& d, WaitingNotice& m);
void encode(Encoder& e, const CheckpointRequest& m);
void decode(Decoder& d, CheckpointRequest& m);
void encode(Encoder& e, const ckpt::ShardRecord& m);
void decode(Decoder& d, ckpt::ShardRecord& m);
void encode(Encoder& e, const ShardsSaved& m);
void decode(Decoder& d, ShardsSaved& m);
void encode(Encoder& e, const AbortStep& m);
void decode(Decoder& d, AbortStep& m);
void encode(Encoder& e, const SurvivorReport& m);
void decode(Decoder& d, SurvivorReport& m);
void encode(Encoder& e, const Survivors& m);
void decode(Decoder& d, Survivors& m);
void encode(Encoder& e, const JoinSpawn& m);
void decode(Decoder& d, JoinSpawn& m);
void encode(Encoder& e, const DeviceSeat& m);
void decode(Decoder& d, DeviceSeat& m);
void encode(Encoder& e, const DeviceSeats& m);
void decode(Decoder& d, DeviceSeats& m);

template <typename M>
Bytes encode_message(const M& message) {
  Encoder e;
  encode(e, message);
  return e.take();
}

template <typename M>
M decode_message(const Bytes& bytes) {
  M message{};
  Decoder d(bytes, kTagOf<M>);
  decode(d, message);
  d.finish();
  return message;
}

// --- over MPI ---------------------------------------------------------------------

// While a receive waits: called about every 100 ms (the coordinator checks
// for stalled ranks there; it may throw to give up the wait).
using WhileWaiting = std::function<void()>;

// The bytes of the next message under `tag` from `source` (or MPI_ANY_SOURCE),
// received politely (MPI_Iprobe + short sleep). `from` gets the sender's rank.
Bytes receive_bytes(int source, Tag tag, MPI_Comm comm, int* from = nullptr,
                    const WhileWaiting& while_waiting = {});
void send_bytes(const Bytes& bytes, int to, Tag tag, MPI_Comm comm);

template <typename M>
void send(const M& message, int to, MPI_Comm comm) {
  send_bytes(encode_message(message), to, kTagOf<M>, comm);
}

template <typename M>
M receive(int source, MPI_Comm comm, int* from = nullptr, const WhileWaiting& while_waiting = {}) {
  return decode_message<M>(receive_bytes(source, kTagOf<M>, comm, from, while_waiting));
}

// Collective over `comm`: every rank gets root's message (politely, as above).
Bytes broadcast_bytes(const Bytes& bytes_on_root, int root, MPI_Comm comm);

template <typename M>
M broadcast(const M& on_root, int root, MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  return decode_message<M>(
      broadcast_bytes(rank == root ? encode_message(on_root) : Bytes{}, root, comm));
}

}  // namespace parcae::runtime
