// The cast kernel family (float32 <-> bfloat16/float16), one source for both
// backends: the rounding math, the kernels' one interface, and their
// definition as body functors walked by for_each_index(Where{}, ...).
// cast_cpu.cpp instantiates them for the CPU (cuseq's thread pool), cast.cu
// for CUDA; cast_ops.cpp checks the arguments and dispatches. The CUDA GEMM
// also calls CastKernels<Cuda> directly to round its operands under mixed
// precision (gemm_cuda.cpp).
//
// Rounding float32 to the 16-bit formats and back is done on bit patterns,
// so both backends give the same bits. float32 -> 16 bits rounds to nearest,
// ties to even (as __float2bfloat16_rn and __float2half_rn); NaN stays a
// (quiet) NaN, too-large values become inf.
#pragma once

#include <cstdint>

#include "cuseq/host_device.h"
#include "kernels/backend.h"

namespace cuseq::detail {

CUSEQ_HOST_DEVICE std::uint16_t bfloat16_bits(float value) {
  const auto bits = __builtin_bit_cast(std::uint32_t, value);
  if ((bits & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<std::uint16_t>((bits >> 16) | 0x40u);
  // Adding 0x7FFF plus the lowest kept bit rounds the dropped 16 bits to even.
  return static_cast<std::uint16_t>((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
}

CUSEQ_HOST_DEVICE float bfloat16_to_float(std::uint16_t bits) {
  return __builtin_bit_cast(float, static_cast<std::uint32_t>(bits) << 16);
}

CUSEQ_HOST_DEVICE std::uint16_t float16_bits(float value) {
  const auto bits = __builtin_bit_cast(std::uint32_t, value);
  const auto sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
  const std::uint32_t magnitude = bits & 0x7FFFFFFFu;
  if (magnitude > 0x7F800000u) return sign | 0x7E00u;   // NaN
  if (magnitude >= 0x477FF000u) return sign | 0x7C00u;  // >= 65520 rounds to inf
  if (magnitude >= 0x38800000u) {                       // normal: >= 2^-14
    // Rebias the exponent (127 -> 15), then round 23 mantissa bits to 10.
    const std::uint32_t rebased = magnitude - 0x38000000u;
    return sign | static_cast<std::uint16_t>((rebased + 0xFFFu + ((rebased >> 13) & 1u)) >> 13);
  }
  const std::uint32_t exponent = magnitude >> 23;
  if (exponent < 102) return sign;  // below 2^-25: rounds to zero
  // Subnormal: the value in units of 2^-24, rounded to nearest even.
  const std::uint32_t significand = (magnitude & 0x7FFFFFu) | 0x800000u;
  const std::uint32_t shift = 126 - exponent;  // 14..24
  const std::uint32_t units = significand >> shift;
  const std::uint32_t rest = significand & ((1u << shift) - 1u);
  const std::uint32_t half = 1u << (shift - 1);
  const std::uint32_t rounded = units + ((rest > half || (rest == half && (units & 1u))) ? 1u : 0u);
  return sign | static_cast<std::uint16_t>(rounded);
}

CUSEQ_HOST_DEVICE float float16_to_float(std::uint16_t bits) {
  const std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000u) << 16;
  const std::uint32_t exponent = (bits >> 10) & 0x1Fu;
  const std::uint32_t mantissa = bits & 0x3FFu;
  if (exponent == 0x1Fu) return __builtin_bit_cast(float, sign | 0x7F800000u | (mantissa << 13));
  if (exponent == 0) {  // zero or subnormal: mantissa x 2^-24
    const float magnitude = static_cast<float>(mantissa) * 5.9604644775390625e-8f;
    return sign != 0 ? -magnitude : magnitude;
  }
  return __builtin_bit_cast(float, sign | ((exponent + 112u) << 23) | (mantissa << 13));
}

template <class Where>
struct CastKernels {
  // out = x rounded to out's dtype; one of them is float32, the other
  // bfloat16 or float16; same element count.
  static void cast(const Tensor& x, Tensor& out);
};
// Instantiated only where the walker is: cast_cpu.cpp and cast.cu.
extern template struct CastKernels<Cpu>;
extern template struct CastKernels<Cuda>;

template <bool kBfloat16>
struct RoundToHalfBody {
  const float* x;
  std::uint16_t* out;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const {
    out[i] = kBfloat16 ? bfloat16_bits(x[i]) : float16_bits(x[i]);
  }
};

template <bool kBfloat16>
struct WidenHalfBody {
  const std::uint16_t* x;
  float* out;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const {
    out[i] = kBfloat16 ? bfloat16_to_float(x[i]) : float16_to_float(x[i]);
  }
};

// for_each_index(Where{}, ...) is found where this is instantiated, after
// the walker (parallel_for_cpu.h, for_each_cuda.cuh).
template <class Where>
void CastKernels<Where>::cast(const Tensor& x, Tensor& out) {
  const std::int64_t count = x.numel();
  if (x.dtype() == DType::float32) {
    const auto* from = x.data<float>();
    auto* to = static_cast<std::uint16_t*>(out.raw_data());
    if (out.dtype() == DType::bfloat16) {
      for_each_index(Where{}, count, RoundToHalfBody<true>{from, to});
    } else {
      for_each_index(Where{}, count, RoundToHalfBody<false>{from, to});
    }
  } else {
    const auto* from = static_cast<const std::uint16_t*>(x.raw_data());
    auto* to = out.data<float>();
    if (x.dtype() == DType::bfloat16) {
      for_each_index(Where{}, count, WidenHalfBody<true>{from, to});
    } else {
      for_each_index(Where{}, count, WidenHalfBody<false>{from, to});
    }
  }
}

}  // namespace cuseq::detail
