// The 1-D convolution kernel family, declared once for both backends:
// ConvKernels<Cpu> (im2col + OpenBLAS, conv_cpu.cpp) and ConvKernels<Cuda>
// (tiled implicit GEMM, conv.cu), and the window geometry that they, the
// pooling kernels (pool.h) and cuDNN's convolution (cudnn_conv.h) index
// with. Arguments arrive validated by conv_ops.cpp; shapes as there.
#pragma once

#include <cstdint>

#include "cuseq/host_device.h"
#include "cuseq/tensor.h"
#include "cuseq/window1d.h"
#include "kernels/backend.h"

namespace cuseq::detail {

// A batch of channels-last sequences seen through a sliding window; plain
// data so that it can be passed to CUDA kernels by value.
struct Geometry1d {
  std::int64_t batch;
  std::int64_t steps;  // input steps
  std::int64_t out_steps;
  std::int64_t window;
  std::int64_t stride;
  std::int64_t dilation;
  std::int64_t pad_left;

  // The input step that tap k of output step t reads (may fall in the padding).
  CUSEQ_HOST_DEVICE std::int64_t input_step(std::int64_t t, std::int64_t k) const {
    return t * stride + k * dilation - pad_left;
  }
  CUSEQ_HOST_DEVICE bool inside(std::int64_t step) const { return step >= 0 && step < steps; }
  // The output step whose tap k reads input step i, or -1 when none does.
  CUSEQ_HOST_DEVICE std::int64_t output_step(std::int64_t i, std::int64_t k) const {
    const std::int64_t offset = i + pad_left - k * dilation;
    if (offset < 0 || offset % stride != 0) return -1;
    const std::int64_t t = offset / stride;
    return t < out_steps ? t : -1;
  }
  // Output steps [first, last] whose windows (dilation 1) contain input step i.
  CUSEQ_HOST_DEVICE std::int64_t first_window_with(std::int64_t i) const {
    const std::int64_t lowest = i + pad_left - (window - 1);
    return lowest <= 0 ? 0 : (lowest + stride - 1) / stride;
  }
  CUSEQ_HOST_DEVICE std::int64_t last_window_with(std::int64_t i) const {
    const std::int64_t last = (i + pad_left) / stride;
    return last < out_steps - 1 ? last : out_steps - 1;
  }
};

inline Geometry1d geometry_of(const Window1d& w, std::int64_t batch) {
  return Geometry1d{batch, w.steps, w.output_steps(), w.window, w.stride, w.dilation, w.pad_left()};
}

template <class Where>
struct ConvKernels {
  // bias may be undefined.
  static void forward(const Tensor& x, const Tensor& kernel, const Tensor& bias,
                      const Geometry1d& g, Tensor& y);
  static void backward_input(const Tensor& dy, const Tensor& kernel, const Geometry1d& g,
                             Tensor& dx);
  // Adds into dkernel and (when defined) dbias.
  static void backward_weights(const Tensor& x, const Tensor& dy, const Geometry1d& g,
                               Tensor& dkernel, Tensor& dbias);
};

}  // namespace cuseq::detail
