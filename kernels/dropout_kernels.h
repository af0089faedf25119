// The dropout kernel family, declared once for both backends: defined by
// dropout_pointwise.h, instantiated in dropout_cpu.cpp and dropout.cu.
#pragma once

#include <cstdint>

#include "kernels/backend.h"

namespace cuseq::detail {

template <class Where>
struct DropoutKernels {
  // mask[i] = scale where element i is kept (dropout_math.h), else 0.
  static void mask(std::uint32_t threshold, double scale, Generator::Stream stream, Tensor& mask);
  // The same mask, and y = x * mask, in one pass.
  static void forward(const Tensor& x, std::uint32_t threshold, double scale,
                      Generator::Stream stream, Tensor& mask, Tensor& y);
};

}  // namespace cuseq::detail
