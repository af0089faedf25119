// CUDA softmax over the last axis. Launch shape: one warp per row, eight rows a
// block; lanes stride along the row (coalesced) and combine with shuffles.
#include <cstdint>

#include "core/detail/cuda_check.h"
#include "kernels/backend.h"
#include "kernels/cuda_launch.h"
#include "kernels/dtype_dispatch.h"
#include "kernels/fast_math.h"
#include "kernels/kernel_launch.cuh"
#include "kernels/reduce_math.h"

namespace cuseq::detail {
namespace {

constexpr int kWarp = 32;
constexpr int kRowsPerBlock = 8;

template <class T>
__device__ T warp_reduce(Reduction reduction, T value) {
  for (int offset = kWarp / 2; offset > 0; offset /= 2) {
    value = reduction_combine(reduction, value, __shfl_xor_sync(0xffffffffu, value, offset));
  }
  return value;
}

template <class T>
__global__ void softmax_forward_kernel(const T* x, std::int64_t rows, std::int64_t columns, T* y) {
  const std::int64_t row = blockIdx.x * static_cast<std::int64_t>(kRowsPerBlock) + threadIdx.y;
  if (row >= rows) return;
  const T* values = x + row * columns;
  T* probabilities = y + row * columns;
  T largest = reduction_identity<T>(Reduction::max);
  for (std::int64_t c = threadIdx.x; c < columns; c += kWarp) largest = max(largest, values[c]);
  largest = warp_reduce(Reduction::max, largest);
  T total = 0;
  for (std::int64_t c = threadIdx.x; c < columns; c += kWarp) {
    const T e = exp_of(values[c] - largest);
    probabilities[c] = e;
    total += e;
  }
  total = warp_reduce(Reduction::sum, total);
  for (std::int64_t c = threadIdx.x; c < columns; c += kWarp) probabilities[c] /= total;
}

template <class T>
__global__ void softmax_backward_kernel(const T* y, const T* dy, std::int64_t rows,
                                        std::int64_t columns, T* dx) {
  const std::int64_t row = blockIdx.x * static_cast<std::int64_t>(kRowsPerBlock) + threadIdx.y;
  if (row >= rows) return;
  const std::int64_t base = row * columns;
  T dot = 0;
  for (std::int64_t c = threadIdx.x; c < columns; c += kWarp) dot += dy[base + c] * y[base + c];
  dot = warp_reduce(Reduction::sum, dot);
  for (std::int64_t c = threadIdx.x; c < columns; c += kWarp) {
    dx[base + c] = y[base + c] * (dy[base + c] - dot);
  }
}

dim3 softmax_grid(std::int64_t rows) {
  return dim3(static_cast<unsigned>((rows + kRowsPerBlock - 1) / kRowsPerBlock));
}

}  // namespace

template <>
void Kernels<Cuda>::softmax_forward(const Tensor& x, std::int64_t columns, Tensor& y) {
  const std::int64_t rows = columns == 0 ? 0 : y.numel() / columns;
  if (rows == 0) return;
  dispatch_floating(x.dtype(), "softmax", [&](auto tag) {
    using T = typename decltype(tag)::type;
    launch_kernel(softmax_forward_kernel<T>,
                  {softmax_grid(rows), dim3(kWarp, kRowsPerBlock), 0, launch_stream()}, x.data<T>(),
                  rows, columns, y.data<T>());
    CUSEQ_CUDA_CHECK_LAUNCH();
  });
}

template <>
void Kernels<Cuda>::softmax_backward(const Tensor& y, const Tensor& dy, std::int64_t columns,
                                     Tensor& dx) {
  const std::int64_t rows = columns == 0 ? 0 : y.numel() / columns;
  if (rows == 0) return;
  dispatch_floating(y.dtype(), "softmax_backward", [&](auto tag) {
    using T = typename decltype(tag)::type;
    launch_kernel(softmax_backward_kernel<T>,
                  {softmax_grid(rows), dim3(kWarp, kRowsPerBlock), 0, launch_stream()}, y.data<T>(),
                  dy.data<T>(), rows, columns, dx.data<T>());
    CUSEQ_CUDA_CHECK_LAUNCH();
  });
}

}  // namespace cuseq::detail
