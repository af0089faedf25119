// How the CUDA kernels walk pointwise data: a grid-stride loop, 256 threads a
// block, consecutive threads on consecutive elements (coalesced), on the
// current stream.
#pragma once

#include <algorithm>
#include <cstdint>

#include "core/detail/cuda_check.h"
#include "kernels/backend.h"
#include "kernels/cuda_launch.h"
#include "kernels/kernel_launch.cuh"

namespace cuseq::detail {

template <class Body>
__global__ void for_each_index_kernel(std::int64_t count, Body body) {
  const std::int64_t stride = static_cast<std::int64_t>(gridDim.x) * blockDim.x;
  for (std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x; i < count;
       i += stride) {
    body(i);
  }
}

template <class Body>
void for_each_index(Cuda, std::int64_t count, const Body& body) {
  if (count == 0) return;
  constexpr int kThreads = 256;
  const std::int64_t blocks = std::min<std::int64_t>((count + kThreads - 1) / kThreads, 65535 * 8);
  launch_kernel(for_each_index_kernel<Body>,
                {dim3(static_cast<unsigned>(blocks)), dim3(kThreads), 0, launch_stream()}, count,
                body);
  CUSEQ_CUDA_CHECK_LAUNCH();
}

}  // namespace cuseq::detail
