// The kernels behind cuseq::ops, declared once for both backends:
// Kernels<Cpu> (OpenBLAS, loops on a thread pool) and Kernels<Cuda> (cuBLAS, hand-written
// CUDA kernels) define the same static functions, so every CUDA kernel has a
// CPU twin with the same signature. Arguments arrive validated by ops.cpp;
// CUDA work is queued on the current stream of the tensors' device.
#pragma once

#include <cstdint>
#include <string>

#include "cuseq/activation.h"
#include "cuseq/error.h"
#include "cuseq/rng.h"
#include "cuseq/tensor.h"

namespace cuseq::detail {

struct Cpu {};
struct Cuda {};

enum class BinaryOp { add, subtract, multiply };

template <class Where>
struct Kernels {
  static void gemm(const Tensor& a, bool transpose_a, const Tensor& b, bool transpose_b, Tensor& c,
                   double alpha, double beta);
  static void binary(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& out);
  static void axpby(double alpha, const Tensor& x, double beta, const Tensor& y, Tensor& out);
  static void bias_add(const Tensor& x, const Tensor& bias, Tensor& out);
  static void fill(Tensor& out, double value);
  static void random_uniform(Tensor& out, double low, double high, Generator::Stream stream);
  static void random_normal(Tensor& out, double mean, double stddev, Generator::Stream stream);
  // Pointwise activations (softmax has its own kernels).
  static void activation_forward(Activation activation, const Tensor& x, Tensor& y);
  static void activation_backward(Activation activation, const Tensor& y, const Tensor& dy,
                                  Tensor& dx);
  // Softmax over rows of `columns` elements.
  static void softmax_forward(const Tensor& x, std::int64_t columns, Tensor& y);
  static void softmax_backward(const Tensor& y, const Tensor& dy, std::int64_t columns, Tensor& dx);
  // x viewed as [outer, extent, inner] reduced over extent into [outer, inner].
  static void reduce(Reduction reduction, const Tensor& x, std::int64_t outer, std::int64_t extent,
                     std::int64_t inner, Tensor& out);
  static void argmax(const Tensor& x, std::int64_t columns, Tensor& out);
  // x viewed as [rows, columns, inner] written as [columns, rows, inner].
  static void swap_leading_axes(const Tensor& x, std::int64_t rows, std::int64_t columns,
                                std::int64_t inner, Tensor& out);
};

[[noreturn]] void fail_without_cuda(const std::string& op);
// Makes `device` the GPU that the following CUDA kernels of this thread run on
// (see cuda_launch.h).
void select_gpu(Device device);

// The single place that maps a device to its kernels: calls call(Cpu{}) or
// call(Cuda{}). A generic lambda is instantiated only for the backends that
// were built, so the CPU-only build never references a CUDA kernel.
template <class Call>
decltype(auto) on_backend(Device device, [[maybe_unused]] const std::string& op, Call&& call) {
  if (device.is_cpu()) return call(Cpu{});
#if defined(CUSEQ_WITH_CUDA)
  select_gpu(device);
  return call(Cuda{});
#else
  fail_without_cuda(op);
#endif
}

}  // namespace cuseq::detail
