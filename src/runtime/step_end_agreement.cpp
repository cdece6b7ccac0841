// Agreeing on a step's end (see step_end_agreement.hpp).
#include "parcae/runtime/step_end_agreement.hpp"

#include "parcae/runtime/messages.hpp"

namespace parcae::runtime {

StepEndAgreement::StepEndAgreement(CheckpointSchedule schedule, RequestSource requests,
                                   MPI_Comm active, MPI_Comm world, bool hears_relays,
                                   Patience patience)
    : schedule_(schedule),
      requests_(std::move(requests)),
      active_(active, 1, patience),
      world_(world),
      hears_relays_(hears_relays),
      since_(MPI_Wtime()) {}

StepEnd StepEndAgreement::heard() {
  const StepEnd wish = requests_ ? requests_() : StepEnd::train_on;
  return hears_relays_ ? strongest(wish, hear_relayed_requests(world_)) : wish;
}

StepEnd hear_relayed_requests(MPI_Comm world) {
  StepEnd wish = StepEnd::train_on;
  while (true) {
    int ready = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, static_cast<int>(Tag::checkpoint_request), world, &ready, &status);
    if (!ready) break;
    const auto note = receive<CheckpointRequest>(status.MPI_SOURCE, world);
    wish = strongest(wish, static_cast<StepEnd>(note.end));
  }
  return wish;
}

StepEnd StepEndAgreement::agree(int step, int total_steps) {
  const StepEnd wish =
      wished_step_end(schedule_, step, total_steps, MPI_Wtime() - since_, heard());
  return static_cast<StepEnd>(static_cast<int>(active_.max(static_cast<double>(wish))));
}

void StepEndAgreement::checkpointed() { since_ = MPI_Wtime(); }

void RequestRelay::poll() {
  const StepEnd wish = requests_ ? requests_() : StepEnd::train_on;
  if (wish != StepEnd::train_on) send(CheckpointRequest{static_cast<int>(wish)}, to_, world_);
}

}  // namespace parcae::runtime
