// cudnnConvolutionForward on a 1-D convolution seen as 2-D NHWC with height 1.
// cuDNN pads both sides alike, so Keras' asymmetric "same"/"causal" padding is
// materialised first (a zero-padded copy of x) and cuDNN runs a valid
// convolution; the kernel is transposed to cuDNN's KRSC layout. Not a
// training path: it allocates its scratch on every call.
#include <cudnn.h>

#include <algorithm>

#include "core/detail/cuda_check.h"
#include "cuseq/ops.h"
#include "kernels/cuda_launch.h"
#include "kernels/cudnn_conv.h"
#include "kernels/cudnn_handle.h"

namespace cuseq::detail {
namespace {

// RAII owners of the cuDNN descriptors.
struct TensorDescriptor {
  cudnnTensorDescriptor_t value = nullptr;
  TensorDescriptor(cudnnDataType_t type, std::int64_t n, std::int64_t c, std::int64_t w) {
    CUSEQ_CUDNN_CHECK(cudnnCreateTensorDescriptor(&value));
    CUSEQ_CUDNN_CHECK(cudnnSetTensor4dDescriptor(value, CUDNN_TENSOR_NHWC, type,
                                                 static_cast<int>(n), static_cast<int>(c), 1,
                                                 static_cast<int>(w)));
  }
  ~TensorDescriptor() { cudnnDestroyTensorDescriptor(value); }
  TensorDescriptor(const TensorDescriptor&) = delete;
  TensorDescriptor& operator=(const TensorDescriptor&) = delete;
};

struct FilterDescriptor {
  cudnnFilterDescriptor_t value = nullptr;
  FilterDescriptor(cudnnDataType_t type, std::int64_t filters, std::int64_t channels,
                   std::int64_t width) {
    CUSEQ_CUDNN_CHECK(cudnnCreateFilterDescriptor(&value));
    CUSEQ_CUDNN_CHECK(
        cudnnSetFilter4dDescriptor(value, type, CUDNN_TENSOR_NHWC, static_cast<int>(filters),
                                   static_cast<int>(channels), 1, static_cast<int>(width)));
  }
  ~FilterDescriptor() { cudnnDestroyFilterDescriptor(value); }
  FilterDescriptor(const FilterDescriptor&) = delete;
  FilterDescriptor& operator=(const FilterDescriptor&) = delete;
};

struct ConvolutionDescriptor {
  cudnnConvolutionDescriptor_t value = nullptr;
  ConvolutionDescriptor(cudnnDataType_t type, std::int64_t stride, std::int64_t dilation) {
    CUSEQ_CUDNN_CHECK(cudnnCreateConvolutionDescriptor(&value));
    CUSEQ_CUDNN_CHECK(cudnnSetConvolution2dDescriptor(value, 0, 0, 1, static_cast<int>(stride), 1,
                                                      static_cast<int>(dilation),
                                                      CUDNN_CROSS_CORRELATION, type));
    // Plain FP32 FMA (no TF32), the arithmetic our kernel does: a like-for-like comparison.
    CUSEQ_CUDNN_CHECK(cudnnSetConvolutionMathType(value, CUDNN_FMA_MATH));
  }
  ~ConvolutionDescriptor() { cudnnDestroyConvolutionDescriptor(value); }
  ConvolutionDescriptor(const ConvolutionDescriptor&) = delete;
  ConvolutionDescriptor& operator=(const ConvolutionDescriptor&) = delete;
};

// The input steps that a valid convolution needs to give g.out_steps outputs.
std::int64_t needed_steps(const Geometry1d& g) {
  return (g.out_steps - 1) * g.stride + g.dilation * (g.window - 1) + 1;
}

// x laid into exactly needed_steps(g) steps: g.pad_left zeros first, zeros
// after it, and the steps no window reads left out.
Tensor zero_padded(const Tensor& x, const Geometry1d& g) {
  const std::int64_t channels = x.dim(2), padded_steps = needed_steps(g);
  const std::int64_t copied = std::min(g.steps, padded_steps - g.pad_left);
  Tensor padded = Tensor::zeros(Shape{g.batch, padded_steps, channels}, x.dtype(), x.device());
  const std::size_t element = dtype_size(x.dtype());
  CUSEQ_CUDA_CHECK(cudaMemcpy2DAsync(
      static_cast<char*>(padded.raw_data()) + g.pad_left * channels * element,
      static_cast<std::size_t>(padded_steps * channels) * element, x.raw_data(),
      static_cast<std::size_t>(g.steps * channels) * element,
      static_cast<std::size_t>(copied * channels) * element, static_cast<std::size_t>(g.batch),
      cudaMemcpyDeviceToDevice, launch_stream()));
  return padded;
}

}  // namespace

void cudnn_conv1d_forward(const Tensor& x, const Tensor& kernel, const Tensor& bias,
                          const Geometry1d& g, Tensor& y) {
  if (y.numel() == 0) return;
  const std::int64_t channels = x.dim(2), filters = kernel.dim(2);
  const bool is_double = x.dtype() == DType::float64;
  const cudnnDataType_t type = is_double ? CUDNN_DATA_DOUBLE : CUDNN_DATA_FLOAT;
  const bool valid_as_is =
      g.pad_left == 0 && (g.steps - needed_steps(g)) / g.stride == 0 && needed_steps(g) <= g.steps;
  const Tensor input = valid_as_is ? x : zero_padded(x, g);
  // [window, C, F] -> [F, window, C] (KRSC).
  const Tensor filter = ops::swap_leading_axes(kernel.reshape({g.window * channels, filters}));

  cudnnHandle_t handle = cudnn_handle();
  const TensorDescriptor x_desc(type, g.batch, channels, input.dim(1));
  const TensorDescriptor y_desc(type, g.batch, filters, g.out_steps);
  const FilterDescriptor w_desc(type, filters, channels, g.window);
  const ConvolutionDescriptor conv_desc(type, g.stride, g.dilation);

  cudnnConvolutionFwdAlgoPerf_t perf[CUDNN_CONVOLUTION_FWD_ALGO_COUNT];
  int found = 0;
  CUSEQ_CUDNN_CHECK(cudnnGetConvolutionForwardAlgorithm_v7(
      handle, x_desc.value, w_desc.value, conv_desc.value, y_desc.value,
      CUDNN_CONVOLUTION_FWD_ALGO_COUNT, &found, perf));
  check(found > 0, "conv1d_forward_cudnn", "cuDNN offers no algorithm for this convolution");
  const cudnnConvolutionFwdAlgo_t algorithm = perf[0].algo;
  std::size_t workspace_bytes = 0;
  CUSEQ_CUDNN_CHECK(cudnnGetConvolutionForwardWorkspaceSize(handle, x_desc.value, w_desc.value,
                                                            conv_desc.value, y_desc.value,
                                                            algorithm, &workspace_bytes));
  const Tensor workspace =
      Tensor::empty(Shape{static_cast<std::int64_t>(workspace_bytes / sizeof(float) + 1)},
                    DType::float32, x.device());

  const double one_d = 1.0, zero_d = 0.0;
  const float one_f = 1.0f, zero_f = 0.0f;
  const void* one = is_double ? static_cast<const void*>(&one_d) : &one_f;
  const void* zero = is_double ? static_cast<const void*>(&zero_d) : &zero_f;
  CUSEQ_CUDNN_CHECK(cudnnConvolutionForward(
      handle, one, x_desc.value, input.raw_data(), w_desc.value, filter.raw_data(), conv_desc.value,
      algorithm, workspace.raw_data(), workspace_bytes, zero, y_desc.value, y.raw_data()));
  if (bias.defined()) {
    const TensorDescriptor bias_desc(type, 1, filters, 1);
    CUSEQ_CUDNN_CHECK(cudnnAddTensor(handle, one, bias_desc.value, bias.raw_data(), one,
                                     y_desc.value, y.raw_data()));
  }
}

}  // namespace cuseq::detail
