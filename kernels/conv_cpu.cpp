// CPU twins of the convolution kernels: one sample at a time, the window
// unrolled into a [out_steps, window * channels] matrix (im2col) so that
// OpenBLAS does the arithmetic. Samples are visited in order, so the weight
// gradients are summed in a fixed order (deterministic).
#include <algorithm>
#include <vector>

#include "kernels/blas_cpu.h"
#include "kernels/conv.h"
#include "kernels/dtype_dispatch.h"
#include "kernels/parallel_for_cpu.h"

namespace cuseq::detail {
namespace {

// Row-major c = op(a) @ op(b) + beta * c of packed matrices.
template <class T>
void gemm(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, const T* a, const T* b,
          T beta, T* c) {
  blas_gemm(ta, tb, m, n, k, 1.0, a, ta ? m : k, b, tb ? k : n, beta, c, n);
}

// col[t, k * channels + c] = x[input_step(t, k), c] of one sample, 0 in the
// padding: whole rows of channels, copied or zeroed (an element loop here,
// which GCC could not vectorize, took 40-50% of a Conv1D forward).
template <class T>
void im2col(const T* x, const Geometry1d& g, std::int64_t channels, T* col) {
  for_each_index(Cpu{}, g.out_steps * g.window, [&](std::int64_t index) {
    const std::int64_t t = index / g.window, k = index % g.window;
    const std::int64_t i = g.input_step(t, k);
    T* to = col + index * channels;
    if (g.inside(i)) {
      std::copy_n(x + i * channels, channels, to);
    } else {
      std::fill_n(to, channels, T(0));
    }
  });
}

}  // namespace

template <>
void ConvKernels<Cpu>::forward(const Tensor& x, const Tensor& kernel, const Tensor& bias,
                               const Geometry1d& g, Tensor& y) {
  const std::int64_t channels = x.dim(2), filters = kernel.dim(2);
  const std::int64_t depth = g.window * channels;
  if (y.numel() == 0) return;
  dispatch_floating(x.dtype(), "conv1d_forward", [&](auto tag) {
    using T = typename decltype(tag)::type;
    std::vector<T> col(static_cast<std::size_t>(g.out_steps * depth));
    const T* b = bias.defined() ? bias.data<T>() : nullptr;
    for (std::int64_t n = 0; n < g.batch; ++n) {
      T* out = y.data<T>() + n * g.out_steps * filters;
      for (std::int64_t t = 0; t < g.out_steps; ++t)
        for (std::int64_t f = 0; f < filters; ++f) out[t * filters + f] = b ? b[f] : T(0);
      im2col(x.data<T>() + n * g.steps * channels, g, channels, col.data());
      gemm(false, false, g.out_steps, filters, depth, col.data(), kernel.data<T>(), T(1), out);
    }
  });
}

template <>
void ConvKernels<Cpu>::backward_input(const Tensor& dy, const Tensor& kernel, const Geometry1d& g,
                                      Tensor& dx) {
  const std::int64_t channels = kernel.dim(1), filters = kernel.dim(2);
  const std::int64_t depth = g.window * channels;
  dispatch_floating(dx.dtype(), "conv1d_backward_input", [&](auto tag) {
    using T = typename decltype(tag)::type;
    std::vector<T> dcol(static_cast<std::size_t>(g.out_steps * depth));
    for (std::int64_t n = 0; n < g.batch; ++n) {
      if (g.out_steps > 0) {
        gemm(false, true, g.out_steps, depth, filters, dy.data<T>() + n * g.out_steps * filters,
             kernel.data<T>(), T(0), dcol.data());
      }
      // col2im as a gather: each input step sums the taps that read it.
      T* out = dx.data<T>() + n * g.steps * channels;
      for_each_index(Cpu{}, g.steps, [&](std::int64_t i) {
        for (std::int64_t c = 0; c < channels; ++c) out[i * channels + c] = T(0);
        for (std::int64_t k = 0; k < g.window; ++k) {
          const std::int64_t t = g.output_step(i, k);
          if (t < 0) continue;
          const T* from = dcol.data() + t * depth + k * channels;
          for (std::int64_t c = 0; c < channels; ++c) out[i * channels + c] += from[c];
        }
      });
    }
  });
}

template <>
void ConvKernels<Cpu>::backward_weights(const Tensor& x, const Tensor& dy, const Geometry1d& g,
                                        Tensor& dkernel, Tensor& dbias) {
  const std::int64_t channels = x.dim(2), filters = dy.dim(2);
  const std::int64_t depth = g.window * channels;
  if (g.out_steps == 0) return;
  dispatch_floating(x.dtype(), "conv1d_backward_weights", [&](auto tag) {
    using T = typename decltype(tag)::type;
    std::vector<T> col(static_cast<std::size_t>(g.out_steps * depth));
    for (std::int64_t n = 0; n < g.batch; ++n) {
      const T* grad = dy.data<T>() + n * g.out_steps * filters;
      im2col(x.data<T>() + n * g.steps * channels, g, channels, col.data());
      gemm(true, false, depth, filters, g.out_steps, col.data(), grad, T(1), dkernel.data<T>());
      if (!dbias.defined()) continue;
      T* db = dbias.data<T>();
      for (std::int64_t t = 0; t < g.out_steps; ++t)
        for (std::int64_t f = 0; f < filters; ++f) db[f] += grad[t * filters + f];
    }
  });
}

}  // namespace cuseq::detail
