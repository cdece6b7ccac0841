// parcae bench ckpt: a checkpoint's write and read against a plain sequential
// write (with fsync) and read of the same bytes to the same folder, in the
// same run; the checksum's speed; and the stall an asynchronous checkpoint
// costs training (StageSaver::save of the whole model as one stage, as the
// trainer calls it, whose copy overlaps the next step, and what it and the
// write beside it slow that step) against the synchronous write it replaces. Reads start from a cold page cache (the files' pages are
// dropped after their fsync), for the checkpoint and the baseline alike.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "number_option.hpp"
#include "parcae/ckpt/checkpoint.hpp"
#include "parcae/ckpt/paths.hpp"
#include "parcae/compute/stage.hpp"
#include "parcae/runtime/checkpoint_writing.hpp"
#include "parcae/error.hpp"
#include "parcae/util/stats.hpp"
#include "parcae/util/stopwatch.hpp"
#include "parcae/util/text.hpp"

namespace parcae::cli {
namespace {

namespace fs = std::filesystem;
using util::median;
using util::Stopwatch;

IoError os_error(const fs::path& path, const char* what) {
  return IoError(path.string() + ": " + what + ": " + std::strerror(errno));
}

// The baseline: every buffer of every shard, in order, into one file, fsynced.
void plain_write(const fs::path& path, const std::vector<model::Shard>& shards) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw os_error(path, "cannot create");
  for (const auto& s : shards) {
    for (const auto* v : {&s.param, &s.adam_m, &s.adam_v}) {
      const char* p = reinterpret_cast<const char*>(v->data());
      std::size_t left = v->size() * sizeof(float);
      while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n <= 0) throw os_error(path, "write failed");
        p += n;
        left -= static_cast<std::size_t>(n);
      }
    }
  }
  if (::fsync(fd) != 0) throw os_error(path, "fsync failed");
  ::close(fd);
}

// ... and back into freshly allocated buffers, as a reader of shards must.
std::vector<model::Shard> plain_read(const fs::path& path, const std::vector<model::Shard>& like) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw os_error(path, "cannot open");
  std::vector<model::Shard> shards(like.size());
  for (std::size_t i = 0; i < like.size(); ++i) {
    for (int b = 0; b < 3; ++b) {
      auto& v = b == 0 ? shards[i].param : b == 1 ? shards[i].adam_m : shards[i].adam_v;
      v.resize(like[i].param.size());
      char* p = reinterpret_cast<char*>(v.data());
      std::size_t left = v.size() * sizeof(float);
      while (left > 0) {
        const ssize_t n = ::read(fd, p, left);
        if (n <= 0) throw os_error(path, "read failed");
        p += n;
        left -= static_cast<std::size_t>(n);
      }
    }
  }
  ::close(fd);
  return shards;
}

// Drops the (clean, fsynced) pages of `path`, or of every file in it.
void drop_cache(const fs::path& path) {
  auto drop = [](const fs::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
  };
  if (!fs::is_directory(path)) return drop(path);
  for (const auto& e : fs::directory_iterator(path)) drop(e.path());
}

struct Figures {
  std::string model;
  int shards = 0;
  std::int64_t bytes = 0;  // of the shards' buffers
  std::int64_t file_bytes = 0;
  double plain_write_s = 0, write_s = 0, plain_read_s = 0, read_s = 0;
  double checksum_s = 0, stall_s = 0, first_stall_s = 0, slowdown_s = 0;
  int stall_step_tokens = 0;
};

// The tokens of the step the stall is measured on (one micro-batch of them, or
// the model's context if shorter): a short step, so the copy that overlaps it
// has the least time to hide in; a real step (many micro-batches) is longer.
constexpr int kStallStepTokens = 256;

Figures measure(const std::string& name, const fs::path& dir, int repeats) {
  Figures f;
  f.model = name;
  ckpt::Manifest manifest;
  manifest.model = model::GptConfig::preset(name);
  std::vector<model::Shard> shards;
  for (int l = 0; l < manifest.model.num_layers(); ++l) {
    shards.push_back(model::make_shard(manifest.model, l, 1));
    shards.back().adam_m = shards.back().param;  // moments that are not all zero
    shards.back().adam_v = shards.back().param;
    f.bytes += 3 * 4 * static_cast<std::int64_t>(shards.back().param.size());
  }
  f.shards = static_cast<int>(shards.size());
  const fs::path plain = dir / "plain.bin";
  const fs::path step = ckpt::step_dir(dir, 1);
  std::vector<double> plain_writes, writes, plain_reads, reads, checksums, stalls;
  for (int r = 0; r < repeats; ++r) {
    Stopwatch watch;
    std::uint64_t sink = 0;
    for (const auto& s : shards) sink ^= s.checksum();
    checksums.push_back(watch.seconds());
    if (sink == 42) std::cerr << "";  // keeps the checksums from being optimised away

    // Plain and checkpoint I/O take turns going first, so neither always
    // meets the disk's or the allocator's state the other left.
    const bool plain_first = r % 2 == 0;
    auto write_plain = [&] {
      Stopwatch w;
      plain_write(plain, shards);
      plain_writes.push_back(w.seconds());
    };
    auto write_ckpt = [&] {
      Stopwatch w;
      manifest = ckpt::write_checkpoint(step, manifest, shards);
      writes.push_back(w.seconds());
    };
    // Each copy read back is dropped before the next read: both reads find
    // the same free memory.
    auto read_plain = [&] {
      drop_cache(plain);
      Stopwatch w;
      if (plain_read(plain, shards).size() != shards.size()) throw std::logic_error("plain read");
      plain_reads.push_back(w.seconds());
    };
    auto read_ckpt = [&] {
      drop_cache(step);
      Stopwatch w;
      const auto back = ckpt::read_layers(step, ckpt::read_manifest(step), 0, f.shards);
      reads.push_back(w.seconds());
      if (back != shards) throw std::runtime_error("bench ckpt: the checkpoint read back differs");
    };
    if (plain_first) {
      write_plain(), write_ckpt(), read_plain(), read_ckpt();
    } else {
      write_ckpt(), write_plain(), read_ckpt(), read_plain();
    }
    f.file_bytes = manifest.bytes();
    fs::remove_all(step);
    fs::remove(plain);
  }

  // The stall: what training waits for a checkpoint, as the trainer reports
  // it (StageSaver::save, and its wait_copied() before the next update: the
  // copy out of the stage overlaps the step after it). And the slowdown: a
  // step (forward and backward of one micro-batch, AdamW) with the
  // checkpoint taken before it, minus the same step without, so what the copy
  // and the write beside the step take from it as well. The two take turns
  // going first; the write is waited for outside both (in training it
  // overlaps the later steps too, at the lowest priority). The first
  // checkpoint allocates the copies (its page faults are its alone).
  // The stage takes the shards' memory over.
  runtime::TrainConfig train;
  train.model = manifest.model;
  train.checkpoints.dir = dir.string();
  train.checkpoints.run = "stall";
  compute::Stage stage(train.model, std::move(shards));
  const int T = std::min(train.model.seq_len, kStallStepTokens);
  compute::StageActivations acts = stage.make_activations(1, T);
  std::vector<int> tokens(static_cast<std::size_t>(T)), targets(tokens.size());
  for (int t = 0; t < T; ++t) {
    tokens[static_cast<std::size_t>(t)] = (7 * t + 1) % train.model.vocab;
    targets[static_cast<std::size_t>(t)] = (7 * t + 8) % train.model.vocab;
  }
  const model::MicroBatch batch{tokens.data(), targets.data(), 1, T};
  double stall = 0;  // the stall the trainer reports: save() and wait_copied()
  runtime::StageSaver saver(train, 0, true,
                            [&](const runtime::ShardsSaved& saved) { stall = saved.stall_s; });
  const auto train_step = [&](std::int64_t checkpoint_step) {
    Stopwatch watch;
    if (checkpoint_step > 0) saver.save(checkpoint_step, stage);
    stage.zero_grads();
    static_cast<void>(stage.forward(acts, batch, nullptr));
    stage.backward(acts, nullptr, nullptr, 1.0f / static_cast<float>(T), nullptr);
    saver.wait_copied();
    stage.adamw_step(kernels::AdamW{});
    const double seconds = watch.seconds();
    saver.drain();
    return seconds;
  };
  std::vector<double> slowdowns;
  // Twice the pairs of the other figures: a step's time on shared cores
  // swings by more than the difference looked for.
  for (int r = 0; r <= 2 * repeats; ++r) {
    const bool plain_first = r % 2 == 0;
    const double before = plain_first ? train_step(0) : 0;
    const double with_checkpoint = train_step(r + 1);
    const double plain = plain_first ? before : train_step(0);
    (r == 0 ? f.first_stall_s : stalls.emplace_back()) = stall;
    if (r > 0) slowdowns.push_back(with_checkpoint - plain);
  }
  fs::remove_all(runtime::checkpoint_run_dir(train));
  f.plain_write_s = median(plain_writes);
  f.write_s = median(writes);
  f.plain_read_s = median(plain_reads);
  f.read_s = median(reads);
  f.checksum_s = median(checksums);
  f.stall_s = median(stalls);
  f.slowdown_s = median(slowdowns);
  f.stall_step_tokens = T;
  return f;
}

nlohmann::json to_json(const Figures& f) {
  const double mb = f.bytes / 1e6;
  return {{"model", f.model},
          {"shards", f.shards},
          {"bytes", f.bytes},
          {"file_bytes", f.file_bytes},
          {"plain_write_mb_s", mb / f.plain_write_s},
          {"write_mb_s", mb / f.write_s},
          {"write_ratio", f.plain_write_s / f.write_s},
          {"plain_read_mb_s", mb / f.plain_read_s},
          {"read_mb_s", mb / f.read_s},
          {"read_ratio", f.plain_read_s / f.read_s},
          {"checksum_gb_s", f.bytes / 1e9 / f.checksum_s},
          {"sync_write_s", f.write_s},
          {"stall_s", f.stall_s},
          {"first_stall_s", f.first_stall_s},
          {"stall_ratio", f.stall_s / f.write_s},
          {"step_slowdown_s", f.slowdown_s},
          {"slowdown_ratio", f.slowdown_s / f.write_s},
          {"stall_step_tokens", f.stall_step_tokens}};
}

}  // namespace

int bench_ckpt(int argc, char** argv) {
  po::options_description options("parcae bench ckpt options");
  // clang-format off
  options.add_options()
      ("models", po::value<std::string>()->default_value("small,gpt2-124m"),
       "models whose whole state is checkpointed (tiny | small | gpt2-124m)")
      ("dir", po::value<std::string>()->default_value(fs::temp_directory_path().string()),
       "folder on the disk to measure (a fresh folder inside it is used, then removed)")
      ("repeats", number(closed(1, 100))->default_value(3), "timed repetitions (medians)")
      ("json", po::bool_switch(), "print one JSON object");
  // clang-format on
  po::variables_map vm;
  if (!parse_command_line(argc, argv,
                          "usage: parcae bench ckpt [--models small,gpt2-124m] [--dir D] [--json]\n"
                          "Checkpoint write/read MB/s vs plain write+fsync/read of the same bytes,\n"
                          "checksum GB/s, and the async checkpoint's stall vs the sync write.",
                          options, {}, vm)) {
    return 0;
  }
  std::vector<std::string> models;
  for (const auto& name : util::parse_list(vm["models"].as<std::string>(), "--models")) {
    model::GptConfig::preset(name);  // an unknown name fails before any work
    models.push_back(name);
  }
  const fs::path parent = vm["dir"].as<std::string>();
  std::error_code ec;
  if (!fs::is_directory(parent, ec)) {
    throw InputError("--dir: '" + parent.string() + "' is not a folder" +
                     (ec ? " (" + ec.message() + ")" : ""));
  }
  std::string name = (parent / "parcae-bench-ckpt-XXXXXX").string();
  if (::mkdtemp(name.data()) == nullptr) throw os_error(parent, "cannot create a folder in it");
  const fs::path dir = name;
  std::vector<Figures> rows;
  try {
    for (const auto& m : models) rows.push_back(measure(m, dir, vm["repeats"].as<int>()));
  } catch (...) {
    fs::remove_all(dir);
    throw;
  }
  fs::remove_all(dir);
  nlohmann::json j = nlohmann::json::array();
  for (const auto& f : rows) j.push_back(to_json(f));
  if (vm["json"].as<bool>()) {
    std::cout << nlohmann::json{{"dir", parent.string()}, {"ckpt", j}}.dump(2) << "\n";
    return 0;
  }
  std::printf("%-10s %8s %10s %10s %6s %10s %10s %6s %8s %8s %8s %6s %8s\n", "model", "MB",
              "plain w", "ckpt w", "ratio", "plain r", "ckpt r", "ratio", "xxh3", "sync s",
              "stall s", "ratio", "slower s");
  std::printf("%-10s %8s %10s %10s %6s %10s %10s %6s %8s %8s %8s %6s %8s\n", "", "", "MB/s",
              "MB/s", "", "MB/s", "MB/s", "", "GB/s", "", "", "", "");
  for (const auto& r : j) {
    std::printf(
        "%-10s %8.1f %10.0f %10.0f %6.2f %10.0f %10.0f %6.2f %8.1f %8.3f %8.3f %6.3f %8.3f\n",
                r["model"].get<std::string>().c_str(), r["bytes"].get<double>() / 1e6,
                r["plain_write_mb_s"].get<double>(), r["write_mb_s"].get<double>(),
                r["write_ratio"].get<double>(), r["plain_read_mb_s"].get<double>(),
                r["read_mb_s"].get<double>(), r["read_ratio"].get<double>(),
                r["checksum_gb_s"].get<double>(), r["sync_write_s"].get<double>(),
                r["stall_s"].get<double>(), r["stall_ratio"].get<double>(),
                r["step_slowdown_s"].get<double>());
  }
  std::fflush(stdout);
  return 0;
}

}  // namespace parcae::cli
