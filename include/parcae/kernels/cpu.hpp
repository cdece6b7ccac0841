#pragma once
// The CPU kernels: forward and backward of every op of the GPT model, plus the
// optimizer. One function per op and direction, llm.c style:
//   <op>_forward(out, ..., inp, weights, sizes)
//   <op>_backward(dinp, dweight, ..., dout, inp, ..., sizes)
// Buffers are flat, row-major float arrays whose shapes are written beside each
// parameter; backward ACCUMULATES (+=) into every gradient it writes, so
// gradients of a weight used by several micro-batches simply add up, and a
// caller that wants a fresh gradient zeroes it first.
// The CUDA twins (kernels/cuda.hpp) take the same arguments as device pointers.
#include <cstdint>

#include "parcae/kernels/adamw.hpp"

namespace parcae::kernels::cpu {

// --- embedding (token + position) -------------------------------------------
// out[B,T,C] = wte[tokens[b,t], :] + wpe[t, :]; tokens[B,T] in [0, V).
void embedding_forward(float* out, const int* tokens, const float* wte, const float* wpe, int B,
                       int T, int C);
void embedding_backward(float* dwte, float* dwpe, const float* dout, const int* tokens, int B,
                        int T, int C);

// --- layernorm over the last axis --------------------------------------------
// out[N,C] = (inp - mean) * rstd * weight + bias, N = B*T rows; mean[N] and
// rstd[N] are kept for the backward.
void layernorm_forward(float* out, float* mean, float* rstd, const float* inp,
                       const float* weight, const float* bias, int N, int C);
void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout,
                        const float* inp, const float* weight, const float* mean,
                        const float* rstd, int N, int C);

// --- matmul + bias ------------------------------------------------------------
// out[N,OC] = inp[N,C] @ weight[OC,C]^T + bias[OC]; bias may be null (and then
// dbias must be null too).
void matmul_forward(float* out, const float* inp, const float* weight, const float* bias, int N,
                    int C, int OC);
void matmul_backward(float* dinp, float* dweight, float* dbias, const float* dout,
                     const float* inp, const float* weight, int N, int C, int OC);

// --- causal multi-head self-attention -----------------------------------------
// inp[B,T,3C] holds q, k, v side by side (each C = NH heads of hs = C/NH);
// out[B,T,C]; att keeps what the backward needs, attention_saved_floats() of
// them: here the softmax probabilities [B,NH,T,T] (row t is zero beyond column
// t). The fused CUDA twin keeps one log-sum-exp per row [B,NH,T] instead and
// recomputes the probabilities. The backward reads the forward's `out` too:
// the CUDA twin's softmax backward needs rowsum(dout * out); this one does not.
void attention_forward(float* out, float* att, const float* inp, int B, int T, int C, int NH);
void attention_backward(float* dinp, const float* dout, const float* inp, const float* out,
                        const float* att, int B, int T, int C, int NH);
std::int64_t attention_saved_floats(int B, int T, int NH);
// Decoding (generation with a KV cache): one new query position over the T
// positions cached so far, itself included. q[C] is that position's queries
// (NH heads of hs = C/NH); k_cache[T,C] and v_cache[T,C] hold the keys and
// values of positions 0..T-1; out[C]. Equals row T-1 of attention_forward over
// the same T positions. Forward only: nothing is kept for a backward.
void attention_decode_forward(float* out, const float* q, const float* k_cache,
                              const float* v_cache, int T, int C, int NH);

// --- GELU, tanh approximation -------------------------------------------------
void gelu_forward(float* out, const float* inp, std::int64_t N);
void gelu_backward(float* dinp, const float* dout, const float* inp, std::int64_t N);

// --- residual add ---------------------------------------------------------------
void residual_forward(float* out, const float* inp1, const float* inp2, std::int64_t N);
void residual_backward(float* dinp1, float* dinp2, const float* dout, std::int64_t N);

// --- fused softmax + cross-entropy ----------------------------------------------
// logits[N,Vp] (Vp >= V: the padded columns are ignored); probs[N,Vp] (zero in
// the padding) and losses[N] = -log probs[n, targets[n]]. probs may be the
// logits buffer itself (softmax in place), which halves the head's memory.
void crossentropy_softmax_forward(float* losses, float* probs, const float* logits,
                                  const int* targets, int N, int V, int Vp);
// dlogits[n,:] += dlosses[n] * (probs[n,:] - onehot(targets[n])); dlosses may be
// null, meaning every position weighs `dloss`.
void crossentropy_softmax_backward(float* dlogits, const float* dlosses, float dloss,
                                   const float* probs, const int* targets, int N, int V, int Vp);

// --- optimizer --------------------------------------------------------------------
// One AdamW step (Loshchilov & Hutter: decoupled weight decay; hyperparameters
// in kernels/adamw.hpp) with bias correction; `step` is the 1-based number of
// this update.
void adamw_update(float* params, const float* grads, float* m, float* v, std::int64_t N,
                  const AdamW& hp, std::int64_t step);

// Global gradient-norm clipping is split in two so pipeline stages can combine
// their partial sums (allreduce) before anyone scales:
// sum of squares in double, then x *= factor.
double grad_sq_norm(const float* grads, std::int64_t N);
void scale(float* x, std::int64_t N, float factor);

}  // namespace parcae::kernels::cpu
