// Bidirectional's merge kernels, declared once for both backends:
// BidirectionalKernels<Cpu> (bidirectional_cpu.cpp) and <Cuda>
// (bidirectional.cu), one source in bidirectional_walk.h.
#pragma once

#include "cuseq/merge_mode.h"
#include "cuseq/tensor.h"
#include "kernels/backend.h"

namespace cuseq::detail {

template <class Where>
struct BidirectionalKernels {
  // Arguments as ops::bidirectional_merge(_backward), already checked; rank-2
  // tensors are walked as one step.
  static void merge(MergeMode mode, const Tensor& forward, const Tensor& backward, Tensor& out);
  static void merge_backward(MergeMode mode, const Tensor& forward, const Tensor& backward,
                             const Tensor& d_out, Tensor& d_forward, Tensor& d_backward);
};

}  // namespace cuseq::detail
