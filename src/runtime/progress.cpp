// Progress lines and JSON Lines metrics (see progress.hpp).
#include "parcae/runtime/progress.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <cstdio>
#include <ostream>

#include <nlohmann/json.hpp>

#include "parcae/runtime/checkpoint_writing.hpp"
#include "parcae/util/atomic_file.hpp"

namespace parcae::runtime {
namespace {

constexpr int kMetricsSchemaVersion = 1;

// %.9g: a float's value survives the round trip through text.
std::string exact(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", x);
  return buf;
}

nlohmann::json config_record(const TrainConfig& cfg) {
  const auto& m = cfg.model;
  return {{"schema", "parcae.metrics"},
          {"schema_version", kMetricsSchemaVersion},
          {"config",
           {{"model", {{"vocab", m.vocab}, {"seq_len", m.seq_len}, {"channels", m.channels},
                       {"layers", m.layers}, {"heads", m.heads}}},
            {"micro_batch", m.micro_batch},
            {"global_batch", cfg.global_batch},
            {"micro_batches", cfg.micro_batches()},
            {"steps", cfg.steps},
            {"lr", cfg.lr.peak},
            {"min_lr", cfg.lr.min_lr},
            {"warmup", cfg.lr.warmup_steps},
            {"weight_decay", cfg.adamw.weight_decay},
            {"beta1", cfg.adamw.beta1},
            {"beta2", cfg.adamw.beta2},
            {"grad_clip", cfg.grad_clip},
            {"seed", cfg.seed},
            {"dp", cfg.dp},
            {"pp", cfg.pp},
            {"data", cfg.data_path.empty() ? "<synthetic>" : cfg.data_path},
            {"val_data", cfg.val_path}}}};
}

}  // namespace

ProgressLog::ProgressLog(const TrainConfig& cfg, std::ostream& out) : cfg_(cfg), out_(out) {
  if (!cfg.metrics_path.empty()) metrics_ = config_record(cfg).dump() + "\n";
}

void ProgressLog::step(const StepReport& r) {
  history_.push_back(r);
  last_loss_ = r.loss_sum / r.micro_batches;
  // A non-finite loss never comes back: every later step would be NaN too.
  if (!std::isfinite(last_loss_) || !std::isfinite(r.grad_norm)) {
    throw std::runtime_error("step " + std::to_string(r.step + 1) + "/" +
                             std::to_string(cfg_.steps) + ": the training loss is " +
                             exact(last_loss_) + " (gradient norm " + exact(r.grad_norm) +
                             "): training diverged; try a lower --lr or --grad-clip");
  }
  const double tokens = double(cfg_.global_batch) * cfg_.model.seq_len;
  const double tokens_per_s = r.ms > 0 ? tokens / (r.ms / 1000.0) : 0.0;
  if (!cfg_.metrics_path.empty()) {
    metrics_ += "{\"step\": " + std::to_string(r.step) + ", \"loss\": " + exact(last_loss_) +
                ", \"grad_norm\": " + exact(r.grad_norm) + ", \"lr\": " + exact(r.lr) +
                ", \"ms\": " + exact(r.ms) + ", \"tokens_per_s\": " + exact(tokens_per_s) +
                ", \"pipeline_ms\": " + exact(r.pipeline_ms) +
                ", \"compute_ms\": " + exact(r.compute_ms) +
                ", \"allreduce_ms\": " + exact(r.allreduce_ms) + "}\n";
  }
  if (r.step % cfg_.log_every == 0 || r.step == cfg_.steps - 1) {
    char line[160];
    std::snprintf(line, sizeof line,
                  "step %5d/%d | loss %.4f | lr %.2e | norm %.3f | %.0f tok/s | %.1f ms/step\n",
                  r.step + 1, cfg_.steps, last_loss_, r.lr, r.grad_norm, tokens_per_s, r.ms);
    out_ << line << std::flush;
  }
}

void ProgressLog::eval(const EvalReport& r) {
  last_val_loss_ = r.loss_sum / r.micro_batches;
  if (!cfg_.metrics_path.empty()) {
    metrics_ += "{\"step\": " + std::to_string(r.step) + ", \"val_loss\": " +
                exact(last_val_loss_) + "}\n";
  }
  char line[96];
  std::snprintf(line, sizeof line, "step %5d/%d | val loss %.4f\n", r.step + 1, cfg_.steps,
                last_val_loss_);
  out_ << line << std::flush;
}

void ProgressLog::checkpoint(const CheckpointSummary& c) {
  if (!cfg_.metrics_path.empty()) {
    metrics_ += "{\"checkpoint\": " + std::to_string(c.step) + ", \"bytes\": " +
                std::to_string(c.bytes) + ", \"stall_ms\": " + exact(c.stall_s * 1e3) +
                ", \"write_ms\": " + exact(c.write_s * 1e3) + "}\n";
  }
  char line[512];
  std::snprintf(line, sizeof line,
                "checkpoint %s | %.1f MB | training stalled %.1f ms | written in %.1f ms\n",
                c.dir.c_str(), c.bytes / 1e6, c.stall_s * 1e3, c.write_s * 1e3);
  out_ << line << std::flush;
}

void ProgressLog::finish() {
  if (!cfg_.metrics_path.empty()) util::write_file_atomically(cfg_.metrics_path, metrics_);
}

void merge(StepReport& total, const StepReport& part) {
  total.step = part.step;
  total.lr = part.lr;
  total.loss_sum += part.loss_sum;
  total.micro_batches += part.micro_batches;
  total.grad_norm = part.grad_norm;
  total.ms = std::max(total.ms, part.ms);
  total.pipeline_ms = std::max(total.pipeline_ms, part.pipeline_ms);
  total.compute_ms = std::max(total.compute_ms, part.compute_ms);
  total.allreduce_ms = std::max(total.allreduce_ms, part.allreduce_ms);
  total.end = std::max(total.end, part.end);  // the same on every replica: the ranks agreed
}

void merge(EvalReport& total, const EvalReport& part) {
  total.step = part.step;
  total.loss_sum += part.loss_sum;
  total.micro_batches += part.micro_batches;
}

}  // namespace parcae::runtime
