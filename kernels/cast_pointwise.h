// One source for the cast kernels of both backends (the pattern of
// pointwise_ops.h): body functors from cast_math.h walked by
// for_each_index(Where{}, ...). cast_cpu.cpp and cast.cu include this after
// their walker.
#pragma once

#include <cstdint>

#include "kernels/cast_kernels.h"
#include "kernels/cast_math.h"

namespace cuseq::detail {

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
