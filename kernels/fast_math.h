// exp, expm1, tanh and sigmoid for float32 in plain arithmetic: the compiler
// vectorizes them in the CPU loops (glibc's scalar tanhf and expf cost ~15 ns
// each and would dominate a recurrent step), and the CUDA kernels run the same
// formulas, so the two backends agree to rounding. float64 keeps the libm
// functions: it serves gradient checks, where accuracy matters, not speed.
#pragma once

#include <cmath>
#include <cstdint>

#include "cuseq/host_device.h"

namespace cuseq::detail {

// 2^n for an integer n in [-126, 127], by building the exponent bits.
CUSEQ_HOST_DEVICE float exp2_integer(std::int32_t n) {
  const std::int32_t bits = (n + 127) << 23;
#if defined(__CUDA_ARCH__)
  return __int_as_float(bits);
#else
  return __builtin_bit_cast(float, bits);
#endif
}

// e^x - 1 = 2^n (1 + q) - 1 with x = n ln2 + r, |r| <= ln2 / 2 and q = e^r - 1
// from its Taylor series to r^8 (error below 1e-8 relative). Written as
// 2^n q + (2^n - 1) it stays accurate for small x, where n = 0.
CUSEQ_HOST_DEVICE float expm1_fast(float input) {
  // Only selects and arithmetic, no branches, so that loops vectorize. NaN is
  // kept out of the integer conversion and put back at the end.
  const float clamped = input < -87.0f ? -87.0f : (input > 88.0f ? 88.0f : input);
  const float x = input != input ? 0.0f : clamped;
  // Rounds x / ln 2 to the nearest integer: adding 1.5 * 2^23 pushes the
  // fraction bits out of the float.
  constexpr float kRoundingShift = 12582912.0f;
  const float rounded = (x * 1.44269504088896341f + kRoundingShift) - kRoundingShift;
  const auto n = static_cast<std::int32_t>(rounded);
  // ln 2 split in two so that n * kLn2High is exact (Cody and Waite).
  constexpr float kLn2High = 0.693359375f, kLn2Low = -2.12194440e-4f;
  const float r = (x - rounded * kLn2High) - rounded * kLn2Low;
  float q = 1.0f / 40320.0f;
  q = q * r + 1.0f / 5040.0f;
  q = q * r + 1.0f / 720.0f;
  q = q * r + 1.0f / 120.0f;
  q = q * r + 1.0f / 24.0f;
  q = q * r + 1.0f / 6.0f;
  q = q * r + 0.5f;
  q = q * r + 1.0f;
  q = q * r;
  const float power = exp2_integer(n);
  const float result = power * q + (power - 1.0f);
  return input != input ? input : result;
}

CUSEQ_HOST_DEVICE float exp_fast(float x) { return expm1_fast(x) + 1.0f; }

// tanh(x) = e / (e + 2) with e = expm1(2|x|); tanh(9) rounds to 1 in float.
CUSEQ_HOST_DEVICE float tanh_fast(float x) {
  const float magnitude = x < 0.0f ? -x : x;
  const float e = expm1_fast(magnitude > 9.0f ? 18.0f : 2.0f * magnitude);
  const float t = e / (e + 2.0f);
  return x < 0.0f ? -t : t;
}

// 1 / (1 + e^-x), finite for every x (expm1_fast clamps its argument).
CUSEQ_HOST_DEVICE float sigmoid_fast(float x) { return 1.0f / (2.0f + expm1_fast(-x)); }

// The overloads the kernels call: fast float, accurate double.
CUSEQ_HOST_DEVICE float exp_of(float x) { return exp_fast(x); }
CUSEQ_HOST_DEVICE double exp_of(double x) { return exp(x); }
CUSEQ_HOST_DEVICE float tanh_of(float x) { return tanh_fast(x); }
CUSEQ_HOST_DEVICE double tanh_of(double x) { return tanh(x); }
CUSEQ_HOST_DEVICE float sigmoid_of(float x) { return sigmoid_fast(x); }
CUSEQ_HOST_DEVICE double sigmoid_of(double x) {
  if (x >= 0.0) return 1.0 / (1.0 + exp(-x));
  const double e = exp(x);
  return e / (1.0 + e);
}

}  // namespace cuseq::detail
