// CUDA loss kernels: loss_walk.h walked by a grid-stride kernel, one thread
// per row (each thread reads its row in order; rows of different threads are
// `columns` apart).
#include <cuda_runtime.h>

#include "kernels/for_each_cuda.cuh"
#include "kernels/loss_walk.h"

namespace cuseq::detail {
namespace {

// Lowers `first` to the position of any label outside [0, classes). One thread
// per label; atomicMin on an integer is order-independent.
__global__ void first_invalid_label_kernel(const std::int32_t* labels, std::int64_t count,
                                           std::int64_t classes, unsigned long long* first) {
  const std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  if (i < count && (labels[i] < 0 || labels[i] >= classes)) {
    atomicMin(first, static_cast<unsigned long long>(i));
  }
}

}  // namespace

template <>
std::int64_t LossKernels<Cuda>::first_invalid_label(const Tensor& labels, std::int64_t classes) {
  const std::int64_t count = labels.numel();
  if (count == 0) return -1;
  Tensor first = Tensor::empty(Shape{2}, DType::int32, labels.device());  // 8 bytes
  auto* flag = static_cast<unsigned long long*>(first.raw_data());
  const unsigned long long none = ~0ULL;
  CUSEQ_CUDA_CHECK(cudaMemcpyAsync(flag, &none, sizeof(none), cudaMemcpyHostToDevice, launch_stream()));
  constexpr int kThreads = 256;
  first_invalid_label_kernel<<<static_cast<unsigned>((count + kThreads - 1) / kThreads), kThreads, 0,
                               launch_stream()>>>(labels.data<std::int32_t>(), count, classes, flag);
  CUSEQ_CUDA_CHECK_LAUNCH();
  unsigned long long result = none;
  CUSEQ_CUDA_CHECK(cudaMemcpyAsync(&result, flag, sizeof(result), cudaMemcpyDeviceToHost, launch_stream()));
  CUSEQ_CUDA_CHECK(cudaStreamSynchronize(launch_stream()));
  return result == none ? -1 : static_cast<std::int64_t>(result);
}

template struct LossKernels<Cuda>;

}  // namespace cuseq::detail
