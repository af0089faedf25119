// CUDA regularization kernels.
// penalty: a fixed grid of 256-thread blocks, each grid-striding over w and
//   reducing its terms (in double) to one partial in shared memory; then one
//   block sums the partials in a fixed tree. No atomics: deterministic.
// add_grad: grid-stride pointwise update (coalesced).
#include <algorithm>

#include "core/detail/cuda_check.h"
#include "kernels/cuda_launch.h"
#include "kernels/dtype_dispatch.h"
#include "kernels/for_each_cuda.cuh"
#include "kernels/regularization.h"

namespace cuseq::detail {
namespace {

constexpr int kThreads = 256;
constexpr int kMaxBlocks = 256;

__device__ double block_sum(double value) {
  __shared__ double partial[kThreads];
  partial[threadIdx.x] = value;
  __syncthreads();
  for (int width = kThreads / 2; width > 0; width /= 2) {
    if (threadIdx.x < width) partial[threadIdx.x] += partial[threadIdx.x + width];
    __syncthreads();
  }
  return partial[0];
}

template <class T>
__global__ void penalty_partials_kernel(const T* w, std::int64_t count, double l1, double l2,
                                        double* partials) {
  double sum = 0.0;
  const std::int64_t stride = static_cast<std::int64_t>(gridDim.x) * kThreads;
  for (std::int64_t i = blockIdx.x * static_cast<std::int64_t>(kThreads) + threadIdx.x; i < count;
       i += stride) {
    sum += regularization_term(w[i], l1, l2);
  }
  const double total = block_sum(sum);
  if (threadIdx.x == 0) partials[blockIdx.x] = total;
}

template <class T>
__global__ void penalty_finish_kernel(const double* partials, int count, T* out) {
  const double total = block_sum(threadIdx.x < count ? partials[threadIdx.x] : 0.0);
  if (threadIdx.x == 0) out[0] = static_cast<T>(total);
}

}  // namespace

template <>
void RegularizationKernels<Cuda>::penalty(const Tensor& w, double l1, double l2, Tensor& out) {
  const int blocks = static_cast<int>(
      std::clamp<std::int64_t>((w.numel() + kThreads - 1) / kThreads, 1, kMaxBlocks));
  Tensor partials = Tensor::empty(Shape{std::int64_t{blocks}}, DType::float64, w.device());
  dispatch_floating(w.dtype(), "regularization_penalty", [&](auto tag) {
    using T = typename decltype(tag)::type;
    launch_kernel(penalty_partials_kernel<T>,
                  {dim3(static_cast<unsigned>(blocks)), dim3(kThreads), 0, launch_stream()},
                  w.data<T>(), w.numel(), l1, l2, partials.data<double>());
    CUSEQ_CUDA_CHECK_LAUNCH();
    launch_kernel(penalty_finish_kernel<T>, {dim3(1), dim3(kThreads), 0, launch_stream()},
                  partials.data<double>(), blocks, out.data<T>());
    CUSEQ_CUDA_CHECK_LAUNCH();
  });
}

template <>
void RegularizationKernels<Cuda>::add_grad(const Tensor& w, double l1, double l2, Tensor& grad) {
  dispatch_floating(w.dtype(), "add_regularization_grad", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_index(Cuda{}, w.numel(),
                   AddRegularizationGradBody<T>{w.data<T>(), T(l1), T(l2), grad.data<T>()});
  });
}

}  // namespace cuseq::detail
