// cuseq's tensor operations: the one dispatch point between the layers and the
// kernels. Each op checks its arguments (shape, dtype, device) and runs the
// CUDA kernel or its CPU twin, chosen by the tensors' device. Outputs are
// passed in, preallocated, so that a training step allocates nothing.
#pragma once

#include <cstdint>

#include "cuseq/activation.h"
#include "cuseq/export.h"
#include "cuseq/rng.h"
#include "cuseq/tensor.h"

namespace cuseq {

// Parses Keras' names ("relu", "sigmoid", "tanh", "softmax", "linear" or "").
CUSEQ_API Activation activation_from_name(const std::string& name);
CUSEQ_API std::string activation_name(Activation activation);

namespace ops {

// c = alpha * op(a) @ op(b) + beta * c for row-major matrices, op(x) = x or x^T.
CUSEQ_API void gemm(const Tensor& a, bool transpose_a, const Tensor& b, bool transpose_b, Tensor& c,
                    double alpha = 1.0, double beta = 0.0);
// A new tensor op(a) @ op(b).
CUSEQ_API Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a = false,
                        bool transpose_b = false);

// Elementwise on tensors of one shape; `out` may alias an input.
CUSEQ_API void add(const Tensor& a, const Tensor& b, Tensor& out);
CUSEQ_API void subtract(const Tensor& a, const Tensor& b, Tensor& out);
CUSEQ_API void multiply(const Tensor& a, const Tensor& b, Tensor& out);
// out = alpha * x + beta * y (y and out may alias: an in-place update).
CUSEQ_API void axpby(double alpha, const Tensor& x, double beta, const Tensor& y, Tensor& out);
// out[..., j] = x[..., j] + bias[j]; bias has x's last extent.
CUSEQ_API void bias_add(const Tensor& x, const Tensor& bias, Tensor& out);

CUSEQ_API void fill(Tensor& out, double value);
// Philox-based: element i depends only on (stream, i), so any device draws the same numbers.
CUSEQ_API void random_uniform(Tensor& out, double low, double high, Generator::Stream stream);
CUSEQ_API void random_normal(Tensor& out, double mean, double stddev, Generator::Stream stream);

// y = f(x); softmax is taken over the last axis. `y` may alias `x`.
CUSEQ_API void activation_forward(Activation activation, const Tensor& x, Tensor& y);
// dx = dy * f'(x), computed from the forward output y (as every supported f allows).
CUSEQ_API void activation_backward(Activation activation, const Tensor& y, const Tensor& dy,
                                   Tensor& dx);

// Reduces `axis` of x; out has x's shape without that axis (a scalar for rank 1).
CUSEQ_API void reduce(Reduction reduction, const Tensor& x, int axis, Tensor& out);
CUSEQ_API Tensor reduce(Reduction reduction, const Tensor& x, int axis);
// The sum, mean or max of all elements, as a tensor of shape [].
CUSEQ_API Tensor reduce_all(Reduction reduction, const Tensor& x);
// Index of the largest element along the last axis (the first on ties), int32.
CUSEQ_API void argmax(const Tensor& x, Tensor& out);
CUSEQ_API Tensor argmax(const Tensor& x);

// Swaps the first two axes: [A, B, ...] -> [B, A, ...] (a matrix transpose for rank 2).
CUSEQ_API void swap_leading_axes(const Tensor& x, Tensor& out);
CUSEQ_API Tensor swap_leading_axes(const Tensor& x);

}  // namespace ops
}  // namespace cuseq
