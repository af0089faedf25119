// Kernel launches on the emulated GPU: the typed replacement of <<<...>>> and
// of cudaLaunchCooperativeKernel (called through kernels/kernel_launch.cuh).
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <functional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace cuseq::emulator {

struct LaunchConfig {
  const void* kernel = nullptr;
  dim3 grid, block;
  std::size_t dynamic_shared_bytes = 0;
  cudaStream_t stream = nullptr;
  // Every block resident at once, so cooperative_groups' grid.sync() works.
  bool cooperative = false;
};

// Runs `thread_body` once for every thread of the grid, as CUDA would, and
// returns (and records as the last error) what a launch would: a
// configuration error before anything runs, or cudaErrorLaunchFailure after
// a fault the emulator found (printed with its block, thread and seed).
cudaError_t run_grid(const LaunchConfig& config, const std::function<void()>& thread_body);

// Copies the arguments into the kernel's parameter types once, as a launch
// does, and runs the kernel on every thread of the grid.
template <class... Params, class... Args>
cudaError_t launch(void (*kernel)(Params...), LaunchConfig config, Args&&... args) {
  static_assert(sizeof...(Params) == sizeof...(Args), "wrong number of kernel arguments");
  config.kernel = reinterpret_cast<const void*>(kernel);
  const std::tuple<std::decay_t<Params>...> parameters(std::forward<Args>(args)...);
  return run_grid(config, [&] { std::apply(kernel, parameters); });
}

}  // namespace cuseq::emulator
