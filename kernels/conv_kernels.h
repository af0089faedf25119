// The 1-D convolution kernels, declared once for both backends: ConvKernels<Cpu>
// (im2col + OpenBLAS, conv_cpu.cpp) and ConvKernels<Cuda> (tiled implicit GEMM,
// conv.cu). Arguments arrive validated by conv_ops.cpp; shapes as there.
#pragma once

#include "cuseq/tensor.h"
#include "kernels/backend.h"
#include "kernels/conv_math.h"

namespace cuseq::detail {

template <class Where>
struct ConvKernels {
  // bias may be undefined.
  static void forward(const Tensor& x, const Tensor& kernel, const Tensor& bias,
                      const Geometry1d& g, Tensor& y);
  static void backward_input(const Tensor& dy, const Tensor& kernel, const Geometry1d& g,
                             Tensor& dx);
  // Adds into dkernel and (when defined) dbias.
  static void backward_weights(const Tensor& x, const Tensor& dy, const Geometry1d& g,
                               Tensor& dkernel, Tensor& dbias);
};

}  // namespace cuseq::detail
