// The 1-D pooling kernels, declared once for both backends: PoolKernels<Cpu>
// (pool_cpu.cpp) and PoolKernels<Cuda> (pool.cu), both instantiated from the
// one source in pool_walk.h. Arguments arrive validated by conv_ops.cpp.
#pragma once

#include "cuseq/tensor.h"
#include "kernels/backend.h"
#include "kernels/conv_math.h"

namespace cuseq::detail {

template <class Where>
struct PoolKernels {
  // x [batch, steps, channels] -> y, argmax [batch, out_steps, channels].
  static void max_forward(const Tensor& x, const Geometry1d& g, Tensor& y, Tensor& argmax);
  static void max_backward(const Tensor& dy, const Tensor& argmax, const Geometry1d& g, Tensor& dx);
  static void average_forward(const Tensor& x, const Geometry1d& g, Tensor& y);
  static void average_backward(const Tensor& dy, const Geometry1d& g, Tensor& dx);
};

}  // namespace cuseq::detail
