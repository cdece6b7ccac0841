// The one check of a micro-batch's tokens (the kernels trust their inputs).
#include "parcae/model/micro_batch.hpp"

#include <cstdint>
#include <string>

#include "parcae/error.hpp"

namespace parcae::model {

namespace {

void check_ids(const int* ids, std::int64_t n, int V, const char* what) {
  for (std::int64_t i = 0; i < n; ++i)
    if (ids[i] < 0 || ids[i] >= V)
      throw InputError(std::string(what) + " " + std::to_string(ids[i]) + " at position " +
                       std::to_string(i) + " is outside the vocabulary [0, " + std::to_string(V) +
                       ")");
}

}  // namespace

void check_micro_batch(const GptConfig& cfg, const MicroBatch& mb) {
  if (mb.B < 1 || mb.T < 1 || mb.T > cfg.seq_len)
    throw InputError("micro-batch of " + std::to_string(mb.B) + " x " + std::to_string(mb.T) +
                     " tokens: needs B >= 1 and 1 <= T <= seq_len (" + std::to_string(cfg.seq_len) +
                     ")");
  const std::int64_t n = std::int64_t{mb.B} * mb.T;
  if (mb.tokens) check_ids(mb.tokens, n, cfg.vocab, "token");
  if (mb.targets) check_ids(mb.targets, n, cfg.vocab, "target");
}

}  // namespace parcae::model
