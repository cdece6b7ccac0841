#pragma once
// The rational tanh that GELU uses on both devices (Eigen's
// generic_fast_tanh_float: an odd degree-13 numerator over an even degree-6
// denominator). One definition, so the CPU kernel (on floats and on SIMD
// vectors of them) and the CUDA kernel compute the same formula; the caller
// clamps x to +-kTanhClamp first (where tanh rounds to +-1 in float), with
// its own min/max. Within 4e-7 relative of tanh (tests/kernels/gelu_tanh_test.cpp).
namespace parcae::kernels {

#ifdef __CUDACC__
#define PARCAE_HOST_DEVICE __host__ __device__
#else
#define PARCAE_HOST_DEVICE
#endif

constexpr float kTanhClamp = 7.90531110763549805f;

template <class F>
PARCAE_HOST_DEVICE F tanh_rational_clamped(F x) {
  const F x2 = x * x;
  F p = -2.76076847742355e-16f;
  p = p * x2 + 2.00018790482477e-13f;
  p = p * x2 - 8.60467152213735e-11f;
  p = p * x2 + 5.12229709037114e-08f;
  p = p * x2 + 1.48572235717979e-05f;
  p = p * x2 + 6.37261928875436e-04f;
  p = p * x2 + 4.89352455891786e-03f;
  F q = 1.19825839466702e-06f;
  q = q * x2 + 1.18534705686654e-04f;
  q = q * x2 + 2.26843463243900e-03f;
  q = q * x2 + 4.89352518554385e-03f;
  return x * p / q;
}

#undef PARCAE_HOST_DEVICE

}  // namespace parcae::kernels
