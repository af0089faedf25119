// The cast kernel family (float32 <-> bfloat16/float16), declared once for
// both backends: defined by cast_pointwise.h, instantiated in cast_cpu.cpp and
// cast.cu. The CUDA GEMM also calls Kernels<Cuda>'s twin here directly to
// round its operands under mixed precision (gemm_cuda.cpp).
#pragma once

#include "kernels/backend.h"

namespace cuseq::detail {

template <class Where>
struct CastKernels {
  // out = x rounded to out's dtype; one of them is float32, the other
  // bfloat16 or float16; same element count.
  static void cast(const Tensor& x, Tensor& out);
};

}  // namespace cuseq::detail
