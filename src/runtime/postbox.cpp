// Messages sent without waiting (see postbox.hpp).
#include "parcae/runtime/postbox.hpp"

#include <climits>
#include <stdexcept>

namespace parcae::runtime {

Postbox::~Postbox() {
  collect_delivered();
  if (letters_->empty()) delete letters_;  // else leaked: MPI may still read them
}

void Postbox::collect_delivered() {
  letters_->remove_if([](Letter& l) {
    int done = 0;
    MPI_Test(&l.request, &done, MPI_STATUS_IGNORE);
    return done != 0;
  });
}

void Postbox::post_bytes(Bytes bytes, int to, Tag tag, MPI_Comm comm) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) throw std::length_error("message over 2 GiB");
  collect_delivered();
  Letter& l = letters_->emplace_back(Letter{std::move(bytes)});
  MPI_Isend(l.bytes.data(), static_cast<int>(l.bytes.size()), MPI_BYTE, to, static_cast<int>(tag),
            comm, &l.request);
}

}  // namespace parcae::runtime
