// CUDA optimizer kernels: the fused steps of optimizer_walk.h on a grid-stride
// kernel, and the clipped squared norm as one 1024-thread block (threads
// stride the gradient, coalesced, then a shared-memory tree in double: a fixed
// order, so the same bits every run, no atomics).
#include <cstdint>

#include "kernels/for_each_cuda.cuh"
#include "kernels/optimizer_walk.h"

namespace cuseq::detail {
namespace {

constexpr int kNormThreads = 1024;

template <class T>
__global__ void clipped_squared_norm_kernel(const T* grad, std::int64_t count, T clipvalue, T* out) {
  __shared__ double partial[kNormThreads];
  const ClipRule<T> clip{clipvalue, T(0), nullptr};
  double total = 0;
  for (std::int64_t i = threadIdx.x; i < count; i += blockDim.x) {
    const double c = clip.clip_value(grad[i]);
    total += c * c;
  }
  partial[threadIdx.x] = total;
  __syncthreads();
  for (int width = blockDim.x / 2; width > 0; width /= 2) {
    if (threadIdx.x < width) partial[threadIdx.x] += partial[threadIdx.x + width];
    __syncthreads();
  }
  if (threadIdx.x == 0) *out = T(partial[0]);
}

}  // namespace

template <>
void OptimizerKernels<Cuda>::clipped_squared_norm(const Tensor& grad, double clipvalue,
                                                  Tensor& out) {
  dispatch_floating(grad.dtype(), "clipped_squared_norm", [&](auto tag) {
    using T = typename decltype(tag)::type;
    clipped_squared_norm_kernel<T><<<1, kNormThreads, 0, launch_stream()>>>(
        grad.data<T>(), grad.numel(), T(clipvalue), out.data<T>());
    CUSEQ_CUDA_CHECK_LAUNCH();
  });
}

template struct OptimizerKernels<Cuda>;

}  // namespace cuseq::detail
