// CUDA optimizer kernels: the fused steps of optimizer.h on a grid-stride
// kernel, and the clipped squared norm in two passes: up to 256 blocks of 256
// threads each sum a contiguous share of the gradient (coalesced, a
// shared-memory tree in double), then one block adds the partial sums. The
// grid depends only on the element count and every tree has a fixed shape, so
// the same gradient gives the same bits every run, with no atomics, while a
// large weight's norm is read by the whole GPU rather than one SM.
#include <algorithm>
#include <cstdint>

#include "kernels/for_each_cuda.cuh"
#include "kernels/optimizer.h"

namespace cuseq::detail {
namespace {

constexpr int kNormThreads = 256;
constexpr std::int64_t kMaxNormBlocks = 256;
// Below this many elements a block's share would be too small to pay.
constexpr std::int64_t kElementsPerNormBlock = 16 * kNormThreads;

// Sums `partial` (one value per thread of the block) into partial[0].
__device__ void block_tree_sum(double* partial) {
  __syncthreads();
  for (int width = blockDim.x / 2; width > 0; width /= 2) {
    if (threadIdx.x < width) partial[threadIdx.x] += partial[threadIdx.x + width];
    __syncthreads();
  }
}

// Block b sums clip(grad)^2 over its share [b * share, (b + 1) * share).
template <class T>
__global__ void clipped_squared_norm_partials(const T* grad, std::int64_t count, std::int64_t share,
                                              T clipvalue, double* partials) {
  __shared__ double partial[kNormThreads];
  const ClipRule<T> clip{clipvalue, T(0), nullptr};
  const std::int64_t begin = blockIdx.x * share;
  const std::int64_t end = std::min(count, begin + share);
  double total = 0;
  for (std::int64_t i = begin + threadIdx.x; i < end; i += blockDim.x) {
    const double c = clip.clip_value(grad[i]);
    total += c * c;
  }
  partial[threadIdx.x] = total;
  block_tree_sum(partial);
  if (threadIdx.x == 0) partials[blockIdx.x] = partial[0];
}

template <class T>
__global__ void sum_partials(const double* partials, int blocks, T* out) {
  __shared__ double partial[kNormThreads];
  double total = 0;
  for (int i = threadIdx.x; i < blocks; i += blockDim.x) total += partials[i];
  partial[threadIdx.x] = total;
  block_tree_sum(partial);
  if (threadIdx.x == 0) *out = T(partial[0]);
}

}  // namespace

template <>
void OptimizerKernels<Cuda>::clipped_squared_norm(const Tensor& grad, double clipvalue,
                                                  Tensor& out) {
  const std::int64_t count = grad.numel();
  const std::int64_t blocks = std::clamp<std::int64_t>(
      (count + kElementsPerNormBlock - 1) / kElementsPerNormBlock, 1, kMaxNormBlocks);
  const std::int64_t share = (count + blocks - 1) / blocks;
  Tensor partials = Tensor::empty(Shape{blocks}, DType::float64, grad.device());
  dispatch_floating(grad.dtype(), "clipped_squared_norm", [&](auto tag) {
    using T = typename decltype(tag)::type;
    launch_kernel(clipped_squared_norm_partials<T>,
                  {dim3(static_cast<unsigned>(blocks)), dim3(kNormThreads), 0, launch_stream()},
                  grad.data<T>(), count, share, T(clipvalue), partials.data<double>());
    CUSEQ_CUDA_CHECK_LAUNCH();
    launch_kernel(sum_partials<T>, {dim3(1), dim3(kNormThreads), 0, launch_stream()},
                  partials.data<double>(), static_cast<int>(blocks), out.data<T>());
    CUSEQ_CUDA_CHECK_LAUNCH();
  });
}

template struct OptimizerKernels<Cuda>;

}  // namespace cuseq::detail
