// Encodings of the messages and their transport over MPI (see messages.hpp).
#include "parcae/runtime/messages.hpp"

#include <chrono>
#include <climits>
#include <thread>

#include "parcae/runtime/waiting.hpp"

namespace parcae::runtime {

const char* tag_name(Tag tag) {
  switch (tag) {
    case Tag::step_report:
      return "step report";
    case Tag::eval_report:
      return "eval report";
    case Tag::release:
      return "release";
    case Tag::profile_measurements:
      return "profile measurements";
    case Tag::allreduce_figures:
      return "allreduce figures";
    case Tag::control:
      return "control";
    case Tag::migration_report:
      return "migration report";
    case Tag::waiting_notice:
      return "waiting notice";
    case Tag::checkpoint_request:
      return "checkpoint request";
    case Tag::shards_saved:
      return "shards saved";
    case Tag::abort_step:
      return "abort step";
    case Tag::survivor_report:
      return "survivor report";
    case Tag::survivors:
      return "survivors";
    case Tag::join_spawn:
      return "join spawn";
    case Tag::device_seat:
      return "device seat";
    case Tag::device_seats:
      return "device seats";
  }
  return "unknown message";
}

void Decoder::need(std::uint64_t n) const {
  if (n > bytes_.size() - at_)
    throw std::runtime_error(std::string(tag_name(tag_)) + " message: truncated (" +
                             std::to_string(bytes_.size()) + " bytes)");
}

void Decoder::finish() const {
  if (at_ != bytes_.size())
    throw std::runtime_error(std::string(tag_name(tag_)) + " message: " +
                             std::to_string(bytes_.size() - at_) + " bytes left over");
}

// Fields in declaration order.
void encode(Encoder& e, const StepReport& m) {
  e.put(m.step), e.put(m.loss_sum), e.put(m.micro_batches), e.put(m.grad_norm), e.put(m.lr);
  e.put(m.ms), e.put(m.pipeline_ms), e.put(m.compute_ms), e.put(m.allreduce_ms), e.put(m.end);
}
void decode(Decoder& d, StepReport& m) {
  d.get(m.step), d.get(m.loss_sum), d.get(m.micro_batches), d.get(m.grad_norm), d.get(m.lr);
  d.get(m.ms), d.get(m.pipeline_ms), d.get(m.compute_ms), d.get(m.allreduce_ms), d.get(m.end);
}

void encode(Encoder& e, const EvalReport& m) {
  e.put(m.step), e.put(m.loss_sum), e.put(m.micro_batches);
}
void decode(Decoder& d, EvalReport& m) { d.get(m.step), d.get(m.loss_sum), d.get(m.micro_batches); }

void encode(Encoder& e, const Release& m) { e.put(m.stopped); }
void decode(Decoder& d, Release& m) { d.get(m.stopped); }

void encode(Encoder& e, const ProfileMeasurements::Layer& m) {
  e.put(m.forward_ms), e.put(m.backward_ms), e.put(m.params);
}
void decode(Decoder& d, ProfileMeasurements::Layer& m) {
  d.get(m.forward_ms), d.get(m.backward_ms), d.get(m.params);
}

void encode(Encoder& e, const ProfileMeasurements& m) {
  e.put(m.layers), e.put(m.optimizer_ns_per_param), e.put(m.allreduce_gbps), e.put(m.p2p);
}
void decode(Decoder& d, ProfileMeasurements& m) {
  d.get(m.layers), d.get(m.optimizer_ns_per_param), d.get(m.allreduce_gbps), d.get(m.p2p);
}

void encode(Encoder& e, const AllreduceFigures& m) {
  e.put(m.bytes), e.put(m.bucketed_ms), e.put(m.plain_ms);
}
void decode(Decoder& d, AllreduceFigures& m) {
  d.get(m.bytes), d.get(m.bucketed_ms), d.get(m.plain_ms);
}

void encode(Encoder& e, const ShardMove& m) {
  e.put(m.layer), e.put(m.from), e.put(m.to), e.put(m.bytes);
}
void decode(Decoder& d, ShardMove& m) {
  d.get(m.layer), d.get(m.from), d.get(m.to), d.get(m.bytes);
}

void encode(Encoder& e, const StoreSave& m) {
  e.put(m.rank), e.put(m.first_layer), e.put(m.end_layer);
}
void decode(Decoder& d, StoreSave& m) { d.get(m.rank), d.get(m.first_layer), d.get(m.end_layer); }

void encode(Encoder& e, const LivenessAddress& m) { e.put(m.host), e.put(m.port); }
void decode(Decoder& d, LivenessAddress& m) { d.get(m.host), d.get(m.port); }

void encode(Encoder& e, const ControlMessage& m) {
  e.put(m.epoch), e.put(m.interval), e.put(static_cast<std::uint8_t>(m.finish));
  e.put(static_cast<std::uint8_t>(m.stopped)), e.put(m.dp);
  e.put(m.pp), e.put(m.placements), e.put(m.stage_starts), e.put(m.preempted), e.put(m.allocated);
  e.put(static_cast<std::uint8_t>(m.evacuate)), e.put(m.moves), e.put(static_cast<int>(m.state));
  e.put(m.saves), e.put(m.first_step), e.put(m.steps), e.put(m.joiners), e.put(m.liveness);
}
void decode(Decoder& d, ControlMessage& m) {
  std::uint8_t finish = 0, stopped = 0, evacuate = 0;
  int state = 0;
  d.get(m.epoch), d.get(m.interval), d.get(finish), d.get(stopped), d.get(m.dp);
  d.get(m.pp), d.get(m.placements), d.get(m.stage_starts), d.get(m.preempted), d.get(m.allocated);
  d.get(evacuate), d.get(m.moves), d.get(state);
  d.get(m.saves), d.get(m.first_step), d.get(m.steps), d.get(m.joiners), d.get(m.liveness);
  if (state < 0 || state > static_cast<int>(ControlMessage::State::through_store))
    throw std::runtime_error("control message: unknown state " + std::to_string(state));
  m.finish = finish != 0;
  m.stopped = stopped != 0;
  m.evacuate = evacuate != 0;
  m.state = static_cast<ControlMessage::State>(state);
}

void encode(Encoder& e, const MigrationReport& m) {
  e.put(m.epoch), e.put(m.seconds), e.put(m.bytes_sent), e.put(m.bytes_received);
  e.put(m.transfer_seconds);
}
void decode(Decoder& d, MigrationReport& m) {
  d.get(m.epoch), d.get(m.seconds), d.get(m.bytes_sent), d.get(m.bytes_received);
  d.get(m.transfer_seconds);
}
void encode(Encoder& e, const WaitingNotice& m) { e.put(m.waiting_for), e.put(m.waited_s); }
void decode(Decoder& d, WaitingNotice& m) { d.get(m.waiting_for), d.get(m.waited_s); }
void encode(Encoder& e, const AbortStep& m) { e.put(m.epoch), e.put(m.dead); }
void decode(Decoder& d, AbortStep& m) { d.get(m.epoch), d.get(m.dead); }
void encode(Encoder& e, const SurvivorReport& m) {
  e.put(m.epoch), e.put(m.first_layer), e.put(m.end_layer), e.put(m.step);
}
void decode(Decoder& d, SurvivorReport& m) {
  d.get(m.epoch), d.get(m.first_layer), d.get(m.end_layer), d.get(m.step);
}
void encode(Encoder& e, const Survivors& m) { e.put(m.epoch), e.put(m.ranks), e.put(m.step); }
void decode(Decoder& d, Survivors& m) { d.get(m.epoch), d.get(m.ranks), d.get(m.step); }
void encode(Encoder& e, const JoinSpawn& m) {
  e.put(m.epoch), e.put(m.rank), e.put(m.workers), e.put(m.death_seconds), e.put(m.job_rank);
  e.put(m.liveness);
}
void decode(Decoder& d, JoinSpawn& m) {
  d.get(m.epoch), d.get(m.rank), d.get(m.workers), d.get(m.death_seconds), d.get(m.job_rank);
  d.get(m.liveness);
}

void encode(Encoder& e, const DeviceSeat& m) { e.put(m.node), e.put(m.card); }
void decode(Decoder& d, DeviceSeat& m) { d.get(m.node), d.get(m.card); }
void encode(Encoder& e, const DeviceSeats& m) { e.put(m.seats); }
void decode(Decoder& d, DeviceSeats& m) { d.get(m.seats); }

void encode(Encoder& e, const CheckpointRequest& m) { e.put(m.end); }
void decode(Decoder& d, CheckpointRequest& m) { d.get(m.end); }

void encode(Encoder& e, const ckpt::ShardRecord& m) {
  e.put(m.layer), e.put(m.file), e.put(m.bytes), e.put(m.step);
  e.put(m.datasets.param), e.put(m.datasets.adam_m), e.put(m.datasets.adam_v), e.put(m.checksum);
}
void decode(Decoder& d, ckpt::ShardRecord& m) {
  d.get(m.layer), d.get(m.file), d.get(m.bytes), d.get(m.step);
  d.get(m.datasets.param), d.get(m.datasets.adam_m), d.get(m.datasets.adam_v), d.get(m.checksum);
}

void encode(Encoder& e, const ShardsSaved& m) {
  e.put(m.step), e.put(m.stage), e.put(m.shards), e.put(m.stall_s), e.put(m.write_s);
}
void decode(Decoder& d, ShardsSaved& m) {
  d.get(m.step), d.get(m.stage), d.get(m.shards), d.get(m.stall_s), d.get(m.write_s);
}

namespace {

int count_of(std::size_t n) {
  if (n > static_cast<std::size_t>(INT_MAX)) throw std::length_error("message over 2 GiB");
  return static_cast<int>(n);
}

void pause() { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }

}  // namespace

Bytes receive_bytes(int source, Tag tag, MPI_Comm comm, int* from,
                    const WhileWaiting& while_waiting) {
  int ready = 0;
  MPI_Status status;
  for (long polls = 1;; ++polls) {
    MPI_Iprobe(source, static_cast<int>(tag), comm, &ready, &status);
    if (ready) break;
    if (while_waiting && polls % 100 == 0) while_waiting();
    if (polls % 4 == 0) keep_vigil();
    pause();
  }
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  Bytes bytes(static_cast<std::size_t>(count));
  MPI_Recv(bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, static_cast<int>(tag), comm,
           MPI_STATUS_IGNORE);
  if (from != nullptr) *from = status.MPI_SOURCE;
  return bytes;
}

void send_bytes(const Bytes& bytes, int to, Tag tag, MPI_Comm comm) {
  MPI_Send(bytes.data(), count_of(bytes.size()), MPI_BYTE, to, static_cast<int>(tag), comm);
}

Bytes broadcast_bytes(const Bytes& bytes_on_root, int root, MPI_Comm comm) {
  std::uint64_t size = bytes_on_root.size();
  MPI_Request request;
  MPI_Ibcast(&size, 1, MPI_UINT64_T, root, comm, &request);
  wait_politely(request);
  Bytes bytes = bytes_on_root;
  bytes.resize(size);
  MPI_Ibcast(bytes.data(), count_of(bytes.size()), MPI_BYTE, root, comm, &request);
  wait_politely(request);
  return bytes;
}

}  // namespace parcae::runtime
