// The extents of a row-major GEMM c[m, n] = op(a)[m, k] @ op(b)[k, n].
#pragma once

#include <cstdint>

#include "cuseq/tensor.h"

namespace cuseq::detail {

struct GemmShape {
  std::int64_t m, n, k;
  std::int64_t lda, ldb, ldc;  // row-major leading dimensions as stored
};

inline GemmShape gemm_shape(const Tensor& a, bool transpose_a, const Tensor& b, bool transpose_b) {
  GemmShape shape;
  shape.m = transpose_a ? a.dim(1) : a.dim(0);
  shape.k = transpose_a ? a.dim(0) : a.dim(1);
  shape.n = transpose_b ? b.dim(0) : b.dim(1);
  shape.lda = a.dim(1);
  shape.ldb = b.dim(1);
  shape.ldc = shape.n;
  return shape;
}

}  // namespace cuseq::detail
