// The fused pointwise kernels of the recurrent ops, declared once for both
// backends: RecurrentKernels<Cpu> (recurrent_cpu.cpp) and
// RecurrentKernels<Cuda> (recurrent.cu), one source in recurrent_steps.h.
// The GEMMs around them go through ops::gemm (recurrent_ops.cpp).
#pragma once

#include "cuseq/tensor.h"
#include "kernels/backend.h"
#include "kernels/recurrent_cell_math.h"

namespace cuseq::detail {

template <class Where>
struct RecurrentKernels {
  // One step of one cell for every (sample, unit).
  template <class T>
  static void forward_step(const StepForward<T>& step);
  template <class T>
  static void backward_step(const StepBackward<T>& step);
  // out[sample, t, f] = x[sample, t, f] * mask[sample, f]: one dropout mask for every step.
  static void multiply_by_sample_mask(const Tensor& x, const Tensor& mask, Tensor& out);
};

}  // namespace cuseq::detail
