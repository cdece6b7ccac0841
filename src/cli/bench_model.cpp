// parcae bench gemm | step: how fast the CPU path computes, against the best
// this machine's BLAS does. The step's achieved GFLOP/s only means something
// next to an SGEMM rate measured in the same process, with the same threads,
// at the same time (the machines here are shared), so `step` measures both and
// reports their ratio. The FLOP counting is written down in docs/perf.md.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <cblas.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "device_option.hpp"
#include "number_option.hpp"
#include "parcae/error.hpp"
#include "parcae/kernels/cpu.hpp"
#include "parcae/model/config.hpp"
#include "parcae/compute/stage.hpp"
#include "parcae/rng.hpp"
#include "parcae/util/stats.hpp"
#include "parcae/util/stopwatch.hpp"

namespace parcae::cli {
namespace {

using Clock = std::chrono::steady_clock;
using util::median;
using util::Stopwatch;

// The 1-minute load average: the machines here are shared with other builds,
// and a figure means little without it.
double load_average() {
  double load = 0.0;
  return getloadavg(&load, 1) == 1 ? load : -1.0;
}

// libgomp reads OMP_WAIT_POLICY once, at start-up; idle threads spin by
// default, which helps on idle cores and hurts on loaded ones (docs/perf.md).
std::string wait_policy() {
  const char* policy = std::getenv("OMP_WAIT_POLICY");
  return policy != nullptr ? policy : "default";
}


// --- SGEMM --------------------------------------------------------------------

struct GemmShape {
  int m = 1024, n = 1024, k = 1024;
};

// Times of `repeats` SGEMMs C[m,n] = A[m,k] @ B[n,k]^T: the transposes of the
// kernels' matmul_forward (row-major activations times a row-major [out,in]
// weight), through the same cblas_sgemm. One untimed call first warms the
// caches and OpenBLAS's buffers.
std::vector<double> time_sgemm(const GemmShape& s, int repeats) {
  std::vector<float> a(std::size_t(s.m) * s.k), b(std::size_t(s.n) * s.k), c(std::size_t(s.m) * s.n);
  Rng rng(1);
  for (auto& x : a) x = static_cast<float>(rng.uniform() - 0.5);
  for (auto& x : b) x = static_cast<float>(rng.uniform() - 0.5);
  std::vector<double> times;
  for (int r = -1; r < repeats; ++r) {
    const Stopwatch watch;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, s.m, s.n, s.k, 1.0f, a.data(), s.k,
                b.data(), s.k, 0.0f, c.data(), s.n);
    if (r >= 0) times.push_back(watch.seconds());
  }
  return times;
}

double gemm_gflop(const GemmShape& s) { return 2.0 * s.m * s.n * s.k * 1e-9; }

void add_gemm_shape_options(po::options_description& options) {
  options.add_options()
      ("m", number(closed(1, 8192))->default_value(1024), "rows of A and C")
      ("n", number(closed(1, 8192))->default_value(1024), "columns of C (rows of the [n,k] weight)")
      ("k", number(closed(1, 8192))->default_value(1024), "the inner dimension");
}

GemmShape gemm_shape_from(const po::variables_map& vm) {
  GemmShape s{vm["m"].as<int>(), vm["n"].as<int>(), vm["k"].as<int>()};
  if (s.m < 1 || s.n < 1 || s.k < 1)
    throw InputError("--m, --n and --k must be at least 1");
  return s;
}

// --- FLOPs of one training step ---------------------------------------------------
// One FLOP per float add, multiply, divide, max, exp, tanh or sqrt that the
// kernels execute (an FMA is two), counted from their loops; memory moves
// (zeroing, copies) are free. docs/perf.md writes the formulas out.
struct StepFlops {
  double matmul = 0.0;       // GEMMs and their bias adds, forward and backward
  double attention = 0.0;    // scores, softmax and weighted sums
  double elementwise = 0.0;  // layernorm, GELU, residual, embedding, softmax + cross-entropy
  double optimizer = 0.0;    // gradient norm and AdamW
  double total() const { return matmul + attention + elementwise + optimizer; }
};

StepFlops step_flops(const model::GptConfig& cfg, int B, int T, double params) {
  const double N = double(B) * T, C = cfg.channels, V = cfg.vocab, Vp = cfg.padded_vocab(),
               L = cfg.layers, hs = cfg.head_size();
  StepFlops f;
  // out = inp @ W^T + b: 2 N C OC forward, twice that backward (dinp and dW),
  // N OC for the bias each way. The LM head computes all Vp padded columns.
  auto matmul = [&](double in, double out, bool bias) {
    return 6.0 * N * in * out + (bias ? 2.0 * N * out : 0.0);
  };
  f.matmul = L * (matmul(C, 3 * C, true) + matmul(C, C, true) + matmul(C, 4 * C, true) +
                  matmul(4 * C, C, true)) +
             matmul(C, Vp, false);
  // Causal: position t attends to t + 1 positions. Per pair, forward: q.k
  // (2 hs), scale, max, exp(s - max) (2), sum, normalise, att * v (2 hs);
  // backward: dout.v and dv (4 hs), att.datt (2), dscore (4), dq and dk (4 hs).
  const double pairs = double(B) * cfg.heads * T * (T + 1) / 2.0;
  f.attention = L * pairs * ((4 * hs + 6) + (8 * hs + 6));
  // Per element, forward + backward: layernorm 8 + 17, GELU 9 + 21 (on 4C
  // channels), residual 1 + 2, embedding 1 + 2; softmax + cross-entropy 5 + 2
  // per logit.
  const double NC = N * C;
  f.elementwise = (2 * L + 1) * 25 * NC + L * 4 * NC * 30 + 2 * L * 3 * NC + 3 * NC + 7 * N * V;
  // grad_sq_norm 2 per parameter; AdamW 16 (moments 7, bias corrections 2,
  // sqrt, eps, divide, decay 2, learning rate, update).
  f.optimizer = params * (2 + 16);
  return f;
}

// --- one training step --------------------------------------------------------------

struct StepTimes {
  double total = 0, zero = 0, forward = 0, backward = 0, optimizer = 0;
};

int bench_step_impl(const po::variables_map& vm) {
  const int threads = apply_threads_option(vm);
  model::GptConfig cfg = model::GptConfig::preset(vm["model"].as<std::string>());
  const int B = vm.count("micro-batch") ? vm["micro-batch"].as<int>() : cfg.micro_batch;
  const int T = vm.count("seq") ? vm["seq"].as<int>() : cfg.seq_len;
  const int steps = vm["steps"].as<int>();
  const int warmup = vm["warmup"].as<int>();
  if (B < 1) throw InputError("--micro-batch must be at least 1");
  if (T < 1 || T > cfg.seq_len)
    throw InputError("--seq must be in [1, " + std::to_string(cfg.seq_len) + "] for this model");
  if (steps < 1 || warmup < 0) throw InputError("--steps must be >= 1 and --warmup >= 0");
  cfg.micro_batch = B;
  const GemmShape gemm = gemm_shape_from(vm);
  const double load_before = load_average();

  const Stopwatch init_watch;
  compute::Backend& backend = backend_from_device_option(vm);
  compute::Stage stage(cfg, 0, cfg.num_layers(), vm["seed"].as<std::uint64_t>(), backend);
  compute::StageActivations acts = stage.make_activations(B, T);
  const double init_s = init_watch.seconds();
  const double params = static_cast<double>(stage.parameters());

  // A fixed random batch: the step's cost does not depend on the tokens.
  std::vector<int> tokens(std::size_t(B) * T), targets(tokens.size());
  Rng rng(7);
  for (auto& t : tokens) t = static_cast<int>(rng.below(cfg.vocab));
  for (auto& t : targets) t = static_cast<int>(rng.below(cfg.vocab));
  const model::MicroBatch mb{tokens.data(), targets.data(), B, T};
  kernels::AdamW hp;
  hp.weight_decay = 0.1f;

  // What the trainer does per optimizer step with one micro-batch: zero the
  // gradients, forward, backward, the global gradient norm (for clipping), AdamW.
  // Before each step, two SGEMMs of the baseline: interleaved, a load change
  // on the machine shows in both figures rather than in one. Then a pause:
  // OpenBLAS's threads spin for ~0.1 s after a call before they sleep, and
  // would take a core from the step.
  std::vector<double> gemm_times;
  std::vector<StepTimes> times;
  double first_loss = 0, last_loss = 0;
  for (int s = 0; s < warmup + steps; ++s) {
    const std::vector<double> g = time_sgemm(gemm, 2);
    if (s >= warmup) gemm_times.insert(gemm_times.end(), g.begin(), g.end());
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto t0 = Clock::now();
    stage.zero_grads();
    const auto t1 = Clock::now();
    const double loss = stage.forward(acts, mb, nullptr);
    const auto t2 = Clock::now();
    stage.backward(acts, nullptr, nullptr, 1.0f / static_cast<float>(B * T), nullptr);
    backend.synchronize();  // a GPU's kernels are asynchronous: time them finished
    const auto t3 = Clock::now();
    static_cast<void>(stage.grad_sq_norm());  // the trainer clips by it; here only its cost counts
    stage.adamw_step(hp);
    backend.synchronize();
    const auto t4 = Clock::now();
    using S = std::chrono::duration<double>;
    const StepTimes st{S(t4 - t0).count(), S(t1 - t0).count(), S(t2 - t1).count(),
                       S(t3 - t2).count(), S(t4 - t3).count()};
    if (s == 0) first_loss = loss;
    last_loss = loss;
    if (s >= warmup) times.push_back(st);
  }

  auto med = [&](double StepTimes::*field) {
    std::vector<double> v;
    for (const auto& t : times) v.push_back(t.*field);
    return median(v);
  };
  const double step_s = med(&StepTimes::total);
  const StepFlops flops = step_flops(cfg, B, T, params);
  const double gflops = flops.total() * 1e-9 / step_s;
  const double sgemm_gflops = gemm_gflop(gemm) / median(gemm_times);
  const double tokens_per_s = double(B) * T / step_s;
  const nlohmann::json j = {
      {"model", vm["model"].as<std::string>()},
      {"config", cfg.describe()},
      {"micro_batch", B},
      {"seq", T},
      {"threads", threads},
      {"device", backend.describe()},
      {"params", params},
      {"steps", steps},
      {"ms", step_s * 1e3},
      {"tokens_per_s", tokens_per_s},
      {"gflop_per_step", flops.total() * 1e-9},
      {"gflops", gflops},
      {"sgemm_gflops", sgemm_gflops},
      {"sgemm_shape", {gemm.m, gemm.n, gemm.k}},
      {"ratio_to_sgemm", gflops / sgemm_gflops},
      {"breakdown_ms",
       {{"zero_grads", med(&StepTimes::zero) * 1e3},
        {"forward", med(&StepTimes::forward) * 1e3},
        {"backward", med(&StepTimes::backward) * 1e3},
        {"optimizer", med(&StepTimes::optimizer) * 1e3}}},
      {"gflop_by_part",
       {{"matmul", flops.matmul * 1e-9},
        {"attention", flops.attention * 1e-9},
        {"elementwise", flops.elementwise * 1e-9},
        {"optimizer", flops.optimizer * 1e-9}}},
      {"init_s", init_s},
      {"loss_first", first_loss},
      {"loss_last", last_loss},
      {"load_average", {load_before, load_average()}},
      {"omp_wait_policy", wait_policy()}};
  if (vm.count("json")) {
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  const auto& bd = j["breakdown_ms"];
  std::cout << std::fixed << std::setprecision(1) << "step " << j["model"].get<std::string>()
            << " (" << cfg.describe() << ", T=" << T << ", " << params / 1e6 << "M params), "
            << threads << " thread" << (threads == 1 ? "" : "s") << ", median of " << steps
            << " steps on " << backend.describe() << ":\n"
            << "  " << step_s * 1e3 << " ms/step, " << std::setprecision(0) << tokens_per_s
            << " tokens/s, " << std::setprecision(1) << flops.total() * 1e-9 << " GFLOP/step\n"
            << "  " << gflops << " GFLOP/s = " << std::setprecision(3) << gflops / sgemm_gflops
            << " x SGEMM (" << std::setprecision(1) << sgemm_gflops << " GFLOP/s at " << gemm.m
            << "x" << gemm.n << "x" << gemm.k << ", same process and threads)\n"
            << "  zero grads " << bd["zero_grads"].get<double>() << " ms, forward "
            << bd["forward"].get<double>() << " ms, backward " << bd["backward"].get<double>()
            << " ms, norm + AdamW " << bd["optimizer"].get<double>() << " ms\n"
            << "  loss " << std::setprecision(4) << first_loss << " -> " << last_loss
            << ", init " << std::setprecision(1) << init_s << " s, load average "
            << std::setprecision(2) << load_before << " -> " << load_average()
            << ", OMP_WAIT_POLICY " << wait_policy() << "\n";
  return 0;
}

}  // namespace

int bench_gemm(int argc, char** argv) {
  po::options_description options("Options");
  add_gemm_shape_options(options);
  add_threads_option(options);
  options.add_options()
      ("repeats", number(closed(1, 1000))->default_value(30), "timed SGEMMs (the median is reported)")
      ("json", "print the figures as one JSON object");
  po::variables_map vm;
  if (!parse_command_line(argc, argv,
                          "usage: parcae bench gemm [--m M --n N --k K] [--threads N] [--json]\n"
                          "SGEMM C[m,n] = A[m,k] B[n,k]^T through the kernels' CBLAS (OpenBLAS).",
                          options, {}, vm))
    return 0;
  const int threads = apply_threads_option(vm);
  const GemmShape s = gemm_shape_from(vm);
  const int repeats = vm["repeats"].as<int>();
  if (repeats < 1) throw InputError("--repeats must be at least 1");
  const double load_before = load_average();
  const std::vector<double> times = time_sgemm(s, repeats);
  const double gflops = gemm_gflop(s) / median(times);
  // The single-thread rate in the same run: how well the threads scale.
  double single = gflops;
  if (threads > 1) {
    openblas_set_num_threads(1);
    single = gemm_gflop(s) / median(time_sgemm(s, repeats));
    openblas_set_num_threads(threads);
  }
  const nlohmann::json j = {{"m", s.m},
                            {"n", s.n},
                            {"k", s.k},
                            {"threads", threads},
                            {"repeats", repeats},
                            {"ms", median(times) * 1e3},
                            {"gflops", gflops},
                            {"gflops_best", gemm_gflop(s) / *std::min_element(times.begin(), times.end())},
                            {"gflops_1_thread", single},
                            {"speedup_vs_1_thread", gflops / single},
                            {"blas", openblas_get_config()},
                            {"load_average", {load_before, load_average()}}};
  if (vm.count("json")) {
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << std::fixed << std::setprecision(1) << "sgemm " << s.m << "x" << s.n << "x" << s.k
            << ", " << threads << " thread" << (threads == 1 ? "" : "s") << ": median "
            << median(times) * 1e3 << " ms, " << gflops << " GFLOP/s (best "
            << j["gflops_best"].get<double>() << ")\n";
  if (threads > 1)
    std::cout << "  1 thread: " << single << " GFLOP/s, speedup " << std::setprecision(2)
              << gflops / single << "x\n";
  std::cout << "  " << openblas_get_config() << ", load average " << std::setprecision(2)
            << load_before << " -> " << load_average() << "\n";
  return 0;
}

int bench_step(int argc, char** argv) {
  po::options_description options("Options");
  options.add_options()
      ("model", po::value<std::string>()->default_value("gpt2-124m"), "preset: tiny, small or gpt2-124m")
      ("micro-batch", number(closed(1, 4096)), "sequences per step (B; default: the model's)")
      ("seq", number(closed(1, 65536)), "tokens per sequence (T; default: the model's context)")
      ("steps", number(closed(1, 1000))->default_value(5), "timed steps (the median is reported)")
      ("warmup", number(closed(0, 1000))->default_value(1), "untimed steps first (page faults, caches)")
      ("seed", number(closed<std::uint64_t>(0, UINT64_MAX))->default_value(1234), "initialisation seed")
      ("json", "print the figures as one JSON object");
  add_gemm_shape_options(options);
  add_threads_option(options);
  add_device_option(options, "cpu");  // cpu by default: the CPU figures of docs/perf.md
  po::variables_map vm;
  if (!parse_command_line(
          argc, argv,
          "usage: parcae bench step [--model gpt2-124m] [--micro-batch 4] [--seq 64] [--threads N] "
          "[--steps K] [--device cpu|cuda|auto] [--json]\n"
          "Median CPU training step (forward + backward + AdamW) of the whole model as one stage,\n"
          "its achieved GFLOP/s, and their ratio to an SGEMM (--m --n --k) timed in the same run.",
          options, {}, vm))
    return 0;
  return bench_step_impl(vm);
}

}  // namespace parcae::cli
