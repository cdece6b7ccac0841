#pragma once
// Benchmark targets of `parcae bench` that live outside cmd_bench.cpp (one
// file per family of targets); cmd_bench.cpp lists them in its table.

namespace parcae::cli {

// bench_model.cpp: this machine's SGEMM rate through the kernels' CBLAS, and
// the CPU training step of a whole model (forward + backward + AdamW).
int bench_gemm(int argc, char** argv);
int bench_step(int argc, char** argv);

}  // namespace parcae::cli
