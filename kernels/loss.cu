// CUDA loss kernels: loss.h's row bodies walked by a grid-stride kernel with one warp
// per row: the lanes read consecutive columns (coalesced) and combine their
// partial sums by a butterfly of shuffles, so every lane ends with the same,
// deterministic value.
#include <cuda_runtime.h>

#include <algorithm>

#include "core/detail/cuda_check.h"
#include "kernels/backend.h"
#include "kernels/cuda_launch.h"
#include "kernels/kernel_launch.cuh"
#include "kernels/loss.h"

namespace cuseq::detail {

constexpr int kWarp = 32;
constexpr unsigned kAllLanes = 0xffffffffu;

// The row walk of loss.h's bodies for one warp: lane l takes columns l, l + 32, ...
// Every lane calls every member (the rows of a warp are the same), so the
// shuffles see a converged warp. The xor butterfly adds the same two partials
// in every lane (addition commutes), so all lanes agree bit for bit.
struct WarpRow {
  int lane;
  template <class F>
  __device__ auto sum(std::int64_t columns, const F& f) const {
    decltype(f(0)) total = 0;
    for (std::int64_t c = lane; c < columns; c += kWarp) total += f(c);
    for (int offset = kWarp / 2; offset > 0; offset /= 2)
      total += __shfl_xor_sync(kAllLanes, total, offset);
    return total;
  }
  template <class F>
  __device__ auto max(std::int64_t columns, const F& f) const {
    // A lane without a column of its own starts from column 0: a real value.
    auto largest = f(lane < columns ? lane : 0);
    for (std::int64_t c = lane + kWarp; c < columns; c += kWarp) {
      const auto value = f(c);
      largest = value > largest ? value : largest;
    }
    for (int offset = kWarp / 2; offset > 0; offset /= 2) {
      const auto other = __shfl_xor_sync(kAllLanes, largest, offset);
      largest = other > largest ? other : largest;
    }
    return largest;
  }
  template <class F>
  __device__ void each(std::int64_t columns, const F& f) const {
    for (std::int64_t c = lane; c < columns; c += kWarp) f(c);
  }
  // The largest value, the lowest column among equals: the CPU's first maximum.
  template <class T>
  __device__ std::int64_t first_argmax(const T* x, std::int64_t columns) const {
    long long best = lane < columns ? lane : 0;
    T best_value = x[best];
    for (std::int64_t c = lane + kWarp; c < columns; c += kWarp) {
      if (x[c] > best_value) best_value = x[c], best = c;
    }
    for (int offset = kWarp / 2; offset > 0; offset /= 2) {
      const T other_value = __shfl_xor_sync(kAllLanes, best_value, offset);
      const long long other = __shfl_xor_sync(kAllLanes, best, offset);
      if (other_value > best_value || (other_value == best_value && other < best)) {
        best_value = other_value, best = other;
      }
    }
    return best;
  }
  __device__ bool leads() const { return lane == 0; }
};

// 8 warps a block, each warp a row at a time, grid-stride over rows.
template <class Body>
__global__ void for_each_row_kernel(std::int64_t rows, Body body) {
  const std::int64_t thread = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  const std::int64_t warps = static_cast<std::int64_t>(gridDim.x) * blockDim.x / kWarp;
  const WarpRow walk{static_cast<int>(threadIdx.x % kWarp)};
  for (std::int64_t r = thread / kWarp; r < rows; r += warps) body(r, walk);
}

template <class Body>
void for_each_row(Cuda, std::int64_t rows, std::int64_t, const Body& body) {
  if (rows == 0) return;
  constexpr int kThreads = 256, kRowsPerBlock = kThreads / kWarp;
  const std::int64_t blocks =
      std::min<std::int64_t>((rows + kRowsPerBlock - 1) / kRowsPerBlock, 65535 * 8);
  launch_kernel(for_each_row_kernel<Body>,
                {dim3(static_cast<unsigned>(blocks)), dim3(kThreads), 0, launch_stream()}, rows,
                body);
  CUSEQ_CUDA_CHECK_LAUNCH();
}

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
  CUSEQ_CUDA_CHECK(
      cudaMemcpyAsync(flag, &none, sizeof(none), cudaMemcpyHostToDevice, launch_stream()));
  constexpr int kThreads = 256;
  launch_kernel(first_invalid_label_kernel,
                {dim3(static_cast<unsigned>((count + kThreads - 1) / kThreads)), dim3(kThreads), 0,
                 launch_stream()},
                labels.data<std::int32_t>(), count, classes, flag);
  CUSEQ_CUDA_CHECK_LAUNCH();
  unsigned long long result = none;
  CUSEQ_CUDA_CHECK(
      cudaMemcpyAsync(&result, flag, sizeof(result), cudaMemcpyDeviceToHost, launch_stream()));
  CUSEQ_CUDA_CHECK(cudaStreamSynchronize(launch_stream()));
  return result == none ? -1 : static_cast<std::int64_t>(result);
}

template struct LossKernels<Cuda>;

}  // namespace cuseq::detail
