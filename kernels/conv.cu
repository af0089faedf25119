// CUDA convolution kernels: all three passes are one tiled implicit GEMM whose
// operands are gathered from x, dy and the kernel on the fly (no im2col buffer).
// Launch shape: 256-thread blocks, each computing a 64x64 tile of the output
// matrix (4x4 per thread) while 64x16 and 16x64 operand tiles are staged in
// shared memory, so each loaded element is reused 64 times. The weight
// gradient splits its long reduction (batch * out_steps) across blocks into a
// workspace that a second kernel sums in a fixed order: no atomics,
// deterministic results.
#include <algorithm>
#include <cstdint>

#include "core/detail/cuda_check.h"
#include "kernels/conv.h"
#include "kernels/cuda_launch.h"
#include "kernels/dtype_dispatch.h"
#include "kernels/for_each_cuda.cuh"
#include "kernels/kernel_launch.cuh"

namespace cuseq::detail {
namespace {

constexpr int kTileM = 64, kTileN = 64, kTileK = 16, kThreads = 256, kPerThread = 4;
constexpr int kThreadsN = kTileN / kPerThread;  // 16 threads across a tile row

// C[m, n] = sum_k A(m, k) * B(k, n) over k in this block's split; Store(m, n,
// split, value) writes the result. A::kAlongK says which way A's elements are
// contiguous in memory (B::kAlongK likewise), so that neighbouring threads load
// neighbouring addresses.
template <class T, class A, class B, class Store>
__global__ void __launch_bounds__(kThreads)
    implicit_gemm_kernel(std::int64_t m_size, std::int64_t n_size, std::int64_t k_size,
                         std::int64_t k_chunk, A a, B b, Store store) {
  __shared__ T a_tile[kTileK][kTileM + 1];
  __shared__ T b_tile[kTileK][kTileN];
  const int tid = threadIdx.x, tx = tid % kThreadsN, ty = tid / kThreadsN;
  const std::int64_t m0 = static_cast<std::int64_t>(blockIdx.x) * kTileM;
  const std::int64_t n0 = static_cast<std::int64_t>(blockIdx.y) * kTileN;
  const std::int64_t k_begin = static_cast<std::int64_t>(blockIdx.z) * k_chunk;
  const std::int64_t k_end = k_begin + k_chunk < k_size ? k_begin + k_chunk : k_size;

  T acc[kPerThread][kPerThread] = {};
  for (std::int64_t k0 = k_begin; k0 < k_end; k0 += kTileK) {
#pragma unroll
    for (int e = 0; e < kTileM * kTileK / kThreads; ++e) {
      const int index = tid + e * kThreads;
      const int kk = A::kAlongK ? index % kTileK : index / kTileM;
      const int mm = A::kAlongK ? index / kTileK : index % kTileM;
      const std::int64_t m = m0 + mm, k = k0 + kk;
      a_tile[kk][mm] = (m < m_size && k < k_end) ? a(m, k) : T(0);
    }
#pragma unroll
    for (int e = 0; e < kTileN * kTileK / kThreads; ++e) {
      const int index = tid + e * kThreads;
      const int kk = B::kAlongK ? index % kTileK : index / kTileN;
      const int nn = B::kAlongK ? index / kTileK : index % kTileN;
      const std::int64_t n = n0 + nn, k = k0 + kk;
      b_tile[kk][nn] = (n < n_size && k < k_end) ? b(k, n) : T(0);
    }
    __syncthreads();
#pragma unroll
    for (int kk = 0; kk < kTileK; ++kk) {
      T a_frag[kPerThread], b_frag[kPerThread];
#pragma unroll
      for (int i = 0; i < kPerThread; ++i) a_frag[i] = a_tile[kk][ty + i * (kTileM / kPerThread)];
#pragma unroll
      for (int j = 0; j < kPerThread; ++j) b_frag[j] = b_tile[kk][tx + j * kThreadsN];
#pragma unroll
      for (int i = 0; i < kPerThread; ++i)
#pragma unroll
        for (int j = 0; j < kPerThread; ++j) acc[i][j] += a_frag[i] * b_frag[j];
    }
    __syncthreads();
  }
#pragma unroll
  for (int i = 0; i < kPerThread; ++i) {
    const std::int64_t m = m0 + ty + i * (kTileM / kPerThread);
#pragma unroll
    for (int j = 0; j < kPerThread; ++j) {
      const std::int64_t n = n0 + tx + j * kThreadsN;
      if (m < m_size && n < n_size) store(m, n, blockIdx.z, acc[i][j]);
    }
  }
}

// Forward, A(m = (b, t), k = (tap, c)) = x[b, input_step(t, tap), c].
template <class T>
struct InputWindows {
  static constexpr bool kAlongK = true;
  const T* x;
  Geometry1d g;
  std::int64_t channels;
  __device__ T operator()(std::int64_t m, std::int64_t k) const {
    const std::int64_t b = m / g.out_steps, t = m % g.out_steps;
    const std::int64_t i = g.input_step(t, k / channels);
    return g.inside(i) ? x[(b * g.steps + i) * channels + k % channels] : T(0);
  }
};

// A row-major [rows, columns] matrix read as B(k, n).
template <class T>
struct Matrix {
  static constexpr bool kAlongK = false;
  const T* values;
  std::int64_t columns;
  __device__ T operator()(std::int64_t k, std::int64_t n) const { return values[k * columns + n]; }
};

// Backward input, A(m = (b, i), k = (tap, f)) = dy[b, t, f] for the t whose tap reads i.
template <class T>
struct GradientTaps {
  static constexpr bool kAlongK = true;
  const T* dy;
  Geometry1d g;
  std::int64_t filters;
  __device__ T operator()(std::int64_t m, std::int64_t k) const {
    const std::int64_t b = m / g.steps, i = m % g.steps;
    const std::int64_t t = g.output_step(i, k / filters);
    return t >= 0 ? dy[(b * g.out_steps + t) * filters + k % filters] : T(0);
  }
};

// Backward input, B(k = (tap, f), n = c) = kernel[tap, c, f].
template <class T>
struct TransposedKernel {
  static constexpr bool kAlongK = true;
  const T* kernel;
  std::int64_t channels, filters;
  __device__ T operator()(std::int64_t k, std::int64_t n) const {
    const std::int64_t tap = k / filters, f = k % filters;
    return kernel[(tap * channels + n) * filters + f];
  }
};

// Weight gradient, A(m = (tap, c), k = (b, t)) = x[b, input_step(t, tap), c];
// the extra row m = window * channels is all ones, so that its product with dy
// is the bias gradient.
template <class T>
struct WindowColumns {
  static constexpr bool kAlongK = false;
  const T* x;
  Geometry1d g;
  std::int64_t channels;
  __device__ T operator()(std::int64_t m, std::int64_t k) const {
    if (m == g.window * channels) return T(1);
    const std::int64_t b = k / g.out_steps, t = k % g.out_steps;
    const std::int64_t i = g.input_step(t, m / channels);
    return g.inside(i) ? x[(b * g.steps + i) * channels + m % channels] : T(0);
  }
};

template <class T>
struct StoreWithBias {
  T* y;
  const T* bias;
  std::int64_t columns;
  __device__ void operator()(std::int64_t m, std::int64_t n, unsigned, T value) const {
    y[m * columns + n] = value + (bias ? bias[n] : T(0));
  }
};

template <class T>
struct StorePartial {
  T* workspace;
  std::int64_t rows, columns;
  __device__ void operator()(std::int64_t m, std::int64_t n, unsigned split, T value) const {
    workspace[(split * rows + m) * columns + n] = value;
  }
};

// Sums the splits of the weight gradient in order and adds them into the
// kernel gradient (rows < kernel_rows) or the bias gradient (the last row).
template <class T>
struct AddSplits {
  const T* workspace;
  std::int64_t splits, kernel_rows, columns;
  T* dkernel;
  T* dbias;
  __device__ void operator()(std::int64_t index) const {
    const std::int64_t rows = kernel_rows + (dbias ? 1 : 0);
    T sum = T(0);
    for (std::int64_t s = 0; s < splits; ++s) sum += workspace[s * rows * columns + index];
    if (index < kernel_rows * columns) {
      dkernel[index] += sum;
    } else {
      dbias[index - kernel_rows * columns] += sum;
    }
  }
};

unsigned tiles(std::int64_t extent, int tile) {
  return static_cast<unsigned>((extent + tile - 1) / tile);
}

template <class T, class A, class B, class Store>
void launch_gemm(std::int64_t m, std::int64_t n, std::int64_t k, unsigned splits,
                 std::int64_t k_chunk, A a, B b, Store store) {
  if (m == 0 || n == 0) return;
  const dim3 grid(tiles(m, kTileM), tiles(n, kTileN), splits);
  launch_kernel(implicit_gemm_kernel<T, A, B, Store>, {grid, dim3(kThreads), 0, launch_stream()}, m,
                n, k, k_chunk, a, b, store);
  CUSEQ_CUDA_CHECK_LAUNCH();
}

}  // namespace

template <>
void ConvKernels<Cuda>::forward(const Tensor& x, const Tensor& kernel, const Tensor& bias,
                                const Geometry1d& g, Tensor& y) {
  const std::int64_t channels = x.dim(2), filters = kernel.dim(2);
  const std::int64_t depth = g.window * channels;
  dispatch_floating(x.dtype(), "conv1d_forward", [&](auto tag) {
    using T = typename decltype(tag)::type;
    launch_gemm<T>(
        g.batch * g.out_steps, filters, depth, 1, depth, InputWindows<T>{x.data<T>(), g, channels},
        Matrix<T>{kernel.data<T>(), filters},
        StoreWithBias<T>{y.data<T>(), bias.defined() ? bias.data<T>() : nullptr, filters});
  });
}

template <>
void ConvKernels<Cuda>::backward_input(const Tensor& dy, const Tensor& kernel, const Geometry1d& g,
                                       Tensor& dx) {
  const std::int64_t channels = kernel.dim(1), filters = kernel.dim(2);
  const std::int64_t depth = g.window * filters;
  dispatch_floating(dx.dtype(), "conv1d_backward_input", [&](auto tag) {
    using T = typename decltype(tag)::type;
    launch_gemm<T>(g.batch * g.steps, channels, depth, 1, depth,
                   GradientTaps<T>{dy.data<T>(), g, filters},
                   TransposedKernel<T>{kernel.data<T>(), channels, filters},
                   StoreWithBias<T>{dx.data<T>(), nullptr, channels});
  });
}

template <>
void ConvKernels<Cuda>::backward_weights(const Tensor& x, const Tensor& dy, const Geometry1d& g,
                                         Tensor& dkernel, Tensor& dbias) {
  const std::int64_t channels = x.dim(2), filters = dy.dim(2);
  const std::int64_t kernel_rows = g.window * channels;
  const std::int64_t rows = kernel_rows + (dbias.defined() ? 1 : 0);
  const std::int64_t depth = g.batch * g.out_steps;
  if (depth == 0) return;
  // Enough splits to give every SM a few blocks, each summing >= 512 products.
  constexpr std::int64_t kTargetBlocks = 512, kMinChunk = 512;
  const std::int64_t blocks =
      static_cast<std::int64_t>(tiles(rows, kTileM)) * tiles(filters, kTileN);
  const std::int64_t splits = std::max<std::int64_t>(
      1, std::min(kTargetBlocks / blocks, (depth + kMinChunk - 1) / kMinChunk));
  const std::int64_t chunk = ((depth + splits - 1) / splits + kTileK - 1) / kTileK * kTileK;
  const std::int64_t used_splits = (depth + chunk - 1) / chunk;
  dispatch_floating(x.dtype(), "conv1d_backward_weights", [&](auto tag) {
    using T = typename decltype(tag)::type;
    Tensor workspace = Tensor::empty(Shape{used_splits, rows, filters}, x.dtype(), x.device());
    launch_gemm<T>(rows, filters, depth, static_cast<unsigned>(used_splits), chunk,
                   WindowColumns<T>{x.data<T>(), g, channels}, Matrix<T>{dy.data<T>(), filters},
                   StorePartial<T>{workspace.data<T>(), rows, filters});
    for_each_index(Cuda{}, rows * filters,
                   AddSplits<T>{workspace.data<T>(), used_splits, kernel_rows, filters,
                                dkernel.data<T>(), dbias.defined() ? dbias.data<T>() : nullptr});
  });
}

}  // namespace cuseq::detail
