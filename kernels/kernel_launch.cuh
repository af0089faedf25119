// How the .cu files launch kernels: one helper for the GPU (cudaLaunchKernel,
// what <<<...>>> calls, and cudaLaunchCooperativeKernel) and the emulated GPU of CUSEQ_CUDA=EMULATE
// (tests/gpu_emulator/), so the same source runs on both; see docs/gpu_emulator.md.
// Dynamic shared memory is declared with CUSEQ_DYNAMIC_SHARED for the same
// reason (an `extern __shared__` array cannot be one block's memory in C++).
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#if defined(CUSEQ_EMULATED_GPU)
#include "cuseq_emulator/launch.h"
#endif

namespace cuseq::detail {

struct LaunchShape {
  dim3 grid;
  dim3 block;
  std::size_t dynamic_shared_bytes = 0;
  cudaStream_t stream = nullptr;
};

#if !defined(CUSEQ_EMULATED_GPU)
// Converts the arguments to the kernel's parameter types once, as <<<...>>>
// does, and hands `launcher` (cudaLaunchKernel or cudaLaunchCooperativeKernel)
// pointers to them.
template <class Launcher, class... Params, class... Args>
cudaError_t launch_with(Launcher launcher, void (*kernel)(Params...), const LaunchShape& shape,
                        Args&&... args) {
  static_assert(sizeof...(Params) == sizeof...(Args), "wrong number of kernel arguments");
  std::tuple<std::decay_t<Params>...> parameters(std::forward<Args>(args)...);
  return std::apply(
      [&](auto&... values) {
        void* pointers[] = {static_cast<void*>(&values)...};
        return launcher(reinterpret_cast<const void*>(kernel), shape.grid, shape.block, pointers,
                        shape.dynamic_shared_bytes, shape.stream);
      },
      parameters);
}
#endif

// kernel<<<grid, block, dynamic_shared_bytes, stream>>>(args...); errors are
// read as after <<<...>>>, with cudaGetLastError (CUSEQ_CUDA_CHECK_LAUNCH).
template <class... Params, class... Args>
void launch_kernel(void (*kernel)(Params...), const LaunchShape& shape, Args&&... args) {
#if defined(CUSEQ_EMULATED_GPU)
  emulator::launch(
      kernel, {nullptr, shape.grid, shape.block, shape.dynamic_shared_bytes, shape.stream, false},
      std::forward<Args>(args)...);
#else
  launch_with([](const void* f, dim3 g, dim3 b, void** a, std::size_t s,
                 cudaStream_t t) { return cudaLaunchKernel(f, g, b, a, s, t); },
              kernel, shape, std::forward<Args>(args)...);
#endif
}

// A cooperative launch (every block resident, so cooperative_groups'
// grid.sync() may be called); returns what cudaLaunchCooperativeKernel does.
template <class... Params, class... Args>
cudaError_t launch_cooperative_kernel(void (*kernel)(Params...), const LaunchShape& shape,
                                      Args&&... args) {
#if defined(CUSEQ_EMULATED_GPU)
  return emulator::launch(
      kernel, {nullptr, shape.grid, shape.block, shape.dynamic_shared_bytes, shape.stream, true},
      std::forward<Args>(args)...);
#else
  return launch_with([](const void* f, dim3 g, dim3 b, void** a, std::size_t s,
                        cudaStream_t t) { return cudaLaunchCooperativeKernel(f, g, b, a, s, t); },
                     kernel, shape, std::forward<Args>(args)...);
#endif
}

}  // namespace cuseq::detail

// Declares `name` as a `type*` to the block's dynamic shared memory (16-byte aligned).
#if defined(CUSEQ_EMULATED_GPU)
#define CUSEQ_DYNAMIC_SHARED(type, name) \
  type* const name = static_cast<type*>(::cuseq::emulator::dynamic_shared_memory())
#else
#define CUSEQ_DYNAMIC_SHARED(type, name) extern __shared__ __align__(16) type name[]
#endif
