#pragma once
// Where a training job starts (--resume), decided by every rank alike from the
// files alone, before any communication, so a bad checkpoint is one message
// and exit 2 on every rank. Every shard is verified (its checksums) before
// training: a corrupted checkpoint is never trained on.
//
//   ""     a fresh start; refused when the run folder already holds complete
//          checkpoints (a fresh run there would prune them away);
//   auto   the newest complete checkpoint of the run that verifies; a corrupt
//          one is skipped with a warning for the previous one; none at all:
//          a fresh start; only corrupt ones: exit 2;
//   PATH   exactly that step folder: missing, incomplete or corrupt = exit 2.
//
// Any checkpoint must hold the job's model (ckpt::check_same_model names the
// field), seed and global batch (both decide the data order and the losses).
#include <string>
#include <vector>

#include "parcae/runtime/train_config.hpp"

namespace parcae::runtime {

struct ResolvedStart {
  StartPoint start;
  std::string said;                   // for the first progress line: where it starts, and why
  std::vector<std::string> warnings;  // checkpoints skipped, and why
};

// Throws InputError (exit 2) as above.
ResolvedStart resolve_start(const TrainConfig& cfg, const std::string& resume);

}  // namespace parcae::runtime
