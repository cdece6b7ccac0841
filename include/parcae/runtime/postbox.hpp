#pragma once
// Messages sent without waiting: each one's bytes are kept until its send
// completes, which a send to a rank that died (and was not yet known dead)
// never does; such a send, and its bytes, stay in the box for good. The
// coordinator posts its control messages here, so a dead worker can never
// block it.
#include <mpi.h>

#include <list>

#include "parcae/runtime/messages.hpp"

namespace parcae::runtime {

class Postbox {
 public:
  Postbox() = default;
  Postbox(const Postbox&) = delete;
  Postbox& operator=(const Postbox&) = delete;
  ~Postbox();  // leaves the sends still in flight (and their bytes) allocated

  template <typename M>
  void post(const M& message, int to, MPI_Comm comm) {
    post_bytes(encode_message(message), to, kTagOf<M>, comm);
  }
  void post_bytes(Bytes bytes, int to, Tag tag, MPI_Comm comm);

 private:
  struct Letter {
    Bytes bytes;
    MPI_Request request = MPI_REQUEST_NULL;
  };
  void collect_delivered();
  std::list<Letter>* letters_ = new std::list<Letter>;
};

}  // namespace parcae::runtime
