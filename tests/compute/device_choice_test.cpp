// --device: the pure choice of backend, the local rank from the launcher's
// environment, and (on a GPU) the whole model on the CUDA backend against the
// CPU backend: loss, every layer's gradient, the gradient norm and one AdamW
// step. Without a GPU the last test skips and says why.
#include "parcae/compute/device_choice.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "kernels/check.hpp"
#include "parcae/compute/stage.hpp"
#include "parcae/kernels/cuda.hpp"

namespace parcae::compute {
namespace {

using namespace parcae::testing;

DeviceChoice chosen(DeviceRequest r, int gpus, int local_rank) {
  auto c = choose_device(r, gpus, local_rank, "no CUDA device (test)");
  EXPECT_TRUE(std::holds_alternative<DeviceChoice>(c));
  return std::holds_alternative<DeviceChoice>(c) ? std::get<DeviceChoice>(c) : DeviceChoice{};
}

TEST(DeviceChoice, ParsesTheThreeWordsOnly) {
  EXPECT_EQ(parse_device_request("auto"), DeviceRequest::automatic);
  EXPECT_EQ(parse_device_request("cpu"), DeviceRequest::cpu);
  EXPECT_EQ(parse_device_request("cuda"), DeviceRequest::cuda);
  EXPECT_FALSE(parse_device_request("gpu"));
  EXPECT_FALSE(parse_device_request("CUDA"));
  EXPECT_FALSE(parse_device_request(""));
}

TEST(DeviceChoice, AutoTakesAGpuWhenThereIsOneAndRanksSpreadOverThem) {
  EXPECT_EQ(chosen(DeviceRequest::automatic, 0, 3).device, Device::cpu);
  EXPECT_EQ(chosen(DeviceRequest::cpu, 8, 3).device, Device::cpu);
  const DeviceChoice a = chosen(DeviceRequest::automatic, 4, 6);
  EXPECT_EQ(a.device, Device::cuda);
  EXPECT_EQ(a.gpu, 2);  // local rank 6 of a node with 4 GPUs: shares GPU 2 with rank 2
  EXPECT_EQ(chosen(DeviceRequest::cuda, 1, 5).gpu, 0);  // every rank on the one GPU
}

TEST(DeviceChoice, CudaWithoutAGpuSaysWhy) {
  const auto c = choose_device(DeviceRequest::cuda, 0, 0, "no CUDA driver (x)");
  ASSERT_TRUE(std::holds_alternative<std::string>(c));
  EXPECT_EQ(std::get<std::string>(c), "--device cuda: no CUDA driver (x)");
}

// Sets (or clears, with nullptr) an environment variable for one test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old, had_ = true;
    value ? setenv(name, value, 1) : unsetenv(name);
  }
  ~ScopedEnv() { had_ ? setenv(name_, old_.c_str(), 1) : unsetenv(name_); }

 private:
  const char* name_;
  std::string old_;
  bool had_ = false;
};

TEST(DeviceChoice, LocalRankFromOpenMpiThenSlurm) {
  {
    ScopedEnv ompi("OMPI_COMM_WORLD_LOCAL_RANK", nullptr), slurm("SLURM_LOCALID", nullptr);
    EXPECT_EQ(local_rank_from_env(), 0);
  }
  {
    ScopedEnv ompi("OMPI_COMM_WORLD_LOCAL_RANK", nullptr), slurm("SLURM_LOCALID", "3");
    EXPECT_EQ(local_rank_from_env(), 3);
  }
  {
    ScopedEnv ompi("OMPI_COMM_WORLD_LOCAL_RANK", "5"), slurm("SLURM_LOCALID", "3");
    EXPECT_EQ(local_rank_from_env(), 5);
  }
  {
    ScopedEnv ompi("OMPI_COMM_WORLD_LOCAL_RANK", "two"), slurm("SLURM_LOCALID", nullptr);
    EXPECT_THROW(local_rank_from_env(), std::invalid_argument);
  }
}

TEST(CudaBackend, WholeModelMatchesTheCpuBackend) {
  if (kernels::cuda::device_count() == 0) GTEST_SKIP() << kernels::cuda::no_device_reason();
  const auto cfg = model::GptConfig::preset("tiny");
  const int B = cfg.micro_batch, T = cfg.seq_len, L = cfg.num_layers();
  Backend& gpu = backend_for(DeviceChoice{Device::cuda, 0});
  Stage on_cpu(cfg, 0, L, /*seed=*/7), on_gpu(cfg, 0, L, 7, gpu);
  Rng rng(8);
  const auto tokens = random_tokens(rng, B * T, cfg.vocab),
             targets = random_tokens(rng, B * T, cfg.vocab);
  const model::MicroBatch mb{tokens.data(), targets.data(), B, T};
  auto acts_cpu = on_cpu.make_activations(B, T), acts_gpu = on_gpu.make_activations(B, T);
  const double loss_cpu = on_cpu.forward(acts_cpu, mb, nullptr);
  const double loss_gpu = on_gpu.forward(acts_gpu, mb, nullptr);
  EXPECT_NEAR(loss_gpu, loss_cpu, kFloatTolerance * loss_cpu);
  const float dloss = 1.0f / (B * T);
  on_cpu.backward(acts_cpu, nullptr, nullptr, dloss, nullptr);
  on_gpu.backward(acts_gpu, nullptr, nullptr, dloss, nullptr);
  for (int l = 0; l < L; ++l) {
    const auto want = on_cpu.copy_grad(l);
    // Six layers of float rounding in a different order: 1e-4, not 1e-5.
    EXPECT_LE(rel_error(on_gpu.copy_grad(l), to_double(want)), 1e-4) << "layer " << l;
  }
  EXPECT_NEAR(on_gpu.grad_sq_norm(), on_cpu.grad_sq_norm(), 1e-4 * on_cpu.grad_sq_norm());
  on_cpu.adamw_step({});
  on_gpu.adamw_step({});
  for (int l = 0; l < L; ++l)
    EXPECT_LE(rel_error(on_gpu.copy_shard(l).param, to_double(on_cpu.copy_shard(l).param)), 1e-5)
        << "layer " << l;
}

}  // namespace
}  // namespace parcae::compute
