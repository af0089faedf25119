// CUDA reductions. Launch shape: one 256-thread block per output element when
// the reduced axis is innermost (threads stride along it, coalesced, then a
// shared-memory tree); otherwise one thread per output element, neighbouring
// threads reading neighbouring columns (coalesced). Fixed order: deterministic.
#include <cstdint>

#include "core/detail/cuda_check.h"
#include "kernels/backend.h"
#include "kernels/cuda_launch.h"
#include "kernels/dtype_dispatch.h"
#include "kernels/kernel_launch.cuh"
#include "kernels/reduce_math.h"

namespace cuseq::detail {
namespace {

constexpr int kThreads = 256;

template <class T>
__global__ void reduce_contiguous_kernel(Reduction reduction, const T* in, std::int64_t extent,
                                         T* out) {
  __shared__ T partial[kThreads];
  const T* row = in + blockIdx.x * extent;
  T accumulated = reduction_identity<T>(reduction);
  for (std::int64_t e = threadIdx.x; e < extent; e += blockDim.x) {
    accumulated = reduction_combine(reduction, accumulated, row[e]);
  }
  partial[threadIdx.x] = accumulated;
  __syncthreads();
  for (int width = blockDim.x / 2; width > 0; width /= 2) {
    if (threadIdx.x < width) {
      partial[threadIdx.x] =
          reduction_combine(reduction, partial[threadIdx.x], partial[threadIdx.x + width]);
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) out[blockIdx.x] = reduction_finish(reduction, partial[0], extent);
}

template <class T>
__global__ void reduce_strided_kernel(Reduction reduction, const T* in, std::int64_t outer,
                                      std::int64_t extent, std::int64_t inner, T* out) {
  const std::int64_t o = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  if (o >= outer * inner) return;
  const std::int64_t row = o / inner, column = o % inner;
  T accumulated = reduction_identity<T>(reduction);
  for (std::int64_t e = 0; e < extent; ++e) {
    accumulated =
        reduction_combine(reduction, accumulated, in[(row * extent + e) * inner + column]);
  }
  out[o] = reduction_finish(reduction, accumulated, extent);
}

template <class T>
__global__ void argmax_kernel(const T* in, std::int64_t rows, std::int64_t columns,
                              std::int32_t* out) {
  const std::int64_t row = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  if (row >= rows) return;
  const T* values = in + row * columns;
  std::int64_t best = 0;
  for (std::int64_t c = 1; c < columns; ++c) {
    if (values[c] > values[best]) best = c;
  }
  out[row] = static_cast<std::int32_t>(best);
}

unsigned blocks_for(std::int64_t threads) {
  return static_cast<unsigned>((threads + kThreads - 1) / kThreads);
}

}  // namespace

template <>
void Kernels<Cuda>::reduce(Reduction reduction, const Tensor& x, std::int64_t outer,
                           std::int64_t extent, std::int64_t inner, Tensor& out) {
  if (outer * inner == 0) return;
  dispatch_floating(x.dtype(), "reduce", [&](auto tag) {
    using T = typename decltype(tag)::type;
    if (inner == 1) {
      launch_kernel(reduce_contiguous_kernel<T>,
                    {dim3(static_cast<unsigned>(outer)), dim3(kThreads), 0, launch_stream()},
                    reduction, x.data<T>(), extent, out.data<T>());
    } else {
      launch_kernel(reduce_strided_kernel<T>,
                    {dim3(blocks_for(outer * inner)), dim3(kThreads), 0, launch_stream()},
                    reduction, x.data<T>(), outer, extent, inner, out.data<T>());
    }
    CUSEQ_CUDA_CHECK_LAUNCH();
  });
}

template <>
void Kernels<Cuda>::argmax(const Tensor& x, std::int64_t columns, Tensor& out) {
  const std::int64_t rows = out.numel();
  if (rows == 0) return;
  dispatch_floating(x.dtype(), "argmax", [&](auto tag) {
    using T = typename decltype(tag)::type;
    launch_kernel(argmax_kernel<T>, {dim3(blocks_for(rows)), dim3(kThreads), 0, launch_stream()},
                  x.data<T>(), rows, columns, out.data<std::int32_t>());
    CUSEQ_CUDA_CHECK_LAUNCH();
  });
}

}  // namespace cuseq::detail
