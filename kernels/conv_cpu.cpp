// CPU twins of the convolution kernels: the windows of a block of samples
// unrolled into one [samples * out_steps, window * channels] matrix (im2col)
// so that one OpenBLAS GEMM, cut over the pool's threads by blas_gemm, does
// the arithmetic of the whole block (one GEMM per sample, [out_steps, depth]
// x [depth, filters], was too small to split: the Conv1D of the text
// classifier ran on one core). The blocks depend only on the shapes and are
// visited in order, so the weight gradients are summed in a fixed order: the
// same from run to run (blas_gemm never cuts the summed dimension).
#include <algorithm>
#include <memory>

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

// The im2col matrix of a block holds at most this many values (8 MiB of
// float32; 2 MiB for the text classifier's batch of 32), and at least one
// sample's.
constexpr std::int64_t kColumnBlockValues = std::int64_t{1} << 21;

// Consecutive samples [first, first + count) whose windows one GEMM takes.
struct SampleBlock {
  std::int64_t first, count;
};

std::int64_t samples_per_block(const Geometry1d& g, std::int64_t depth) {
  const std::int64_t per_sample = std::max<std::int64_t>(1, g.out_steps * depth);
  return std::clamp<std::int64_t>(kColumnBlockValues / per_sample, 1,
                                  std::max<std::int64_t>(1, g.batch));
}

// Calls body(block) for the blocks of `g.batch` samples, in order.
template <class Body>
void for_each_sample_block(const Geometry1d& g, std::int64_t depth, const Body& body) {
  const std::int64_t per_block = samples_per_block(g, depth);
  for (std::int64_t first = 0; first < g.batch; first += per_block)
    body(SampleBlock{first, std::min(per_block, g.batch - first)});
}

// Room for a block's im2col matrix, not zeroed: im2col or the GEMM writes
// every value (zeroing it at every call, 2 MiB for the text classifier's
// batch, was a tenth of that model's epoch).
template <class T>
std::unique_ptr<T[]> column_block(const Geometry1d& g, std::int64_t depth) {
  return std::unique_ptr<T[]>(new T[samples_per_block(g, depth) * g.out_steps * depth]);
}

// col[(n * out_steps + t), k * channels + c] = x[n, input_step(t, k), c] for
// the samples of `block`, 0 in the padding: whole rows of channels, copied
// or zeroed (an element loop here, which GCC could not vectorize, took
// 40-50% of a Conv1D forward).
template <class T>
void im2col(const T* x, const Geometry1d& g, std::int64_t channels, SampleBlock block, T* col) {
  const std::int64_t taps_per_sample = g.out_steps * g.window;
  for_each_index(Cpu{}, block.count * taps_per_sample, [&](std::int64_t index) {
    const std::int64_t n = block.first + index / taps_per_sample;
    const std::int64_t tap = index % taps_per_sample;
    const std::int64_t i = g.input_step(tap / g.window, tap % g.window);
    T* to = col + index * channels;
    if (g.inside(i)) {
      std::copy_n(x + (n * g.steps + i) * channels, channels, to);
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
    const std::unique_ptr<T[]> col = column_block<T>(g, depth);
    const T* b = bias.defined() ? bias.data<T>() : nullptr;
    T* out = y.data<T>();
    // The GEMM adds onto the bias rows.
    for_each_index(Cpu{}, g.batch * g.out_steps, [&](std::int64_t row) {
      for (std::int64_t f = 0; f < filters; ++f) out[row * filters + f] = b ? b[f] : T(0);
    });
    for_each_sample_block(g, depth, [&](SampleBlock block) {
      im2col(x.data<T>(), g, channels, block, col.get());
      gemm(false, false, block.count * g.out_steps, filters, depth, col.get(), kernel.data<T>(),
           T(1), out + block.first * g.out_steps * filters);
    });
  });
}

template <>
void ConvKernels<Cpu>::backward_input(const Tensor& dy, const Tensor& kernel, const Geometry1d& g,
                                      Tensor& dx) {
  const std::int64_t channels = kernel.dim(1), filters = kernel.dim(2);
  const std::int64_t depth = g.window * channels;
  dispatch_floating(dx.dtype(), "conv1d_backward_input", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const std::unique_ptr<T[]> dcol = column_block<T>(g, depth);
    for_each_sample_block(g, depth, [&](SampleBlock block) {
      if (g.out_steps > 0) {
        gemm(false, true, block.count * g.out_steps, depth, filters,
             dy.data<T>() + block.first * g.out_steps * filters, kernel.data<T>(), T(0),
             dcol.get());
      }
      // col2im as a gather: each input step sums the taps that read it.
      for_each_index(Cpu{}, block.count * g.steps, [&](std::int64_t index) {
        const std::int64_t n = index / g.steps, i = index % g.steps;
        T* out = dx.data<T>() + ((block.first + n) * g.steps + i) * channels;
        for (std::int64_t c = 0; c < channels; ++c) out[c] = T(0);
        for (std::int64_t k = 0; k < g.window; ++k) {
          const std::int64_t t = g.output_step(i, k);
          if (t < 0) continue;
          const T* from = dcol.get() + (n * g.out_steps + t) * depth + k * channels;
          for (std::int64_t c = 0; c < channels; ++c) out[c] += from[c];
        }
      });
    });
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
    const std::unique_ptr<T[]> col = column_block<T>(g, depth);
    for_each_sample_block(g, depth, [&](SampleBlock block) {
      im2col(x.data<T>(), g, channels, block, col.get());
      gemm(true, false, depth, filters, block.count * g.out_steps, col.get(),
           dy.data<T>() + block.first * g.out_steps * filters, T(1), dkernel.data<T>());
    });
    if (!dbias.defined()) return;
    T* db = dbias.data<T>();
    const T* grad = dy.data<T>();
    for (std::int64_t row = 0; row < g.batch * g.out_steps; ++row)
      for (std::int64_t f = 0; f < filters; ++f) db[f] += grad[row * filters + f];
  });
}

}  // namespace cuseq::detail
