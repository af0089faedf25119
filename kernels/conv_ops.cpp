// cuseq::ops for 1-D convolution and pooling: Keras' window arithmetic,
// argument checks, then one dispatch to the device's kernels.
#include "cuseq/conv_ops.h"

#include <algorithm>
#include <type_traits>

#include "kernels/conv.h"
#include "kernels/cudnn_conv.h"
#include "kernels/pool.h"

namespace cuseq {

Padding padding_from_name(const std::string& name, const std::string& where) {
  if (name == "valid") return Padding::valid;
  if (name == "same") return Padding::same;
  if (name == "causal") return Padding::causal;
  fail(where, "unknown padding \"", name, "\"; expected one of valid, same, causal");
}

std::string padding_name(Padding padding) {
  switch (padding) {
    case Padding::valid:
      return "valid";
    case Padding::same:
      return "same";
    case Padding::causal:
      return "causal";
  }
  return "unknown";
}

std::int64_t Window1d::output_steps() const {
  if (stride <= 0 || window <= 0 || dilation <= 0) return 0;  // no window fits; checked by the ops
  const std::int64_t covered = padding == Padding::valid ? steps - span() + 1 : steps;
  return covered <= 0 ? 0 : (covered + stride - 1) / stride;
}

std::int64_t Window1d::pad_left() const {
  switch (padding) {
    case Padding::valid:
      return 0;
    case Padding::causal:
      return span() - 1;
    case Padding::same: {
      const std::int64_t total =
          std::max<std::int64_t>((output_steps() - 1) * stride + span() - steps, 0);
      return total / 2;
    }
  }
  return 0;
}

namespace ops {
namespace {

using detail::ConvKernels;
using detail::on_backend;
using detail::PoolKernels;

void check_float_tensor(const Tensor& t, const std::string& op, const std::string& what) {
  check(t.defined(), op, what, " is undefined");
  check(t.dtype() == DType::float32 || t.dtype() == DType::float64, op, "expected ", what,
        " of dtype float32 or float64, got ", t);
}

// x [batch, window.steps, channels] and a valid window; returns the kernels' geometry.
detail::Geometry1d checked_geometry(const Tensor& x, const Window1d& window, const std::string& op,
                                    const std::string& what) {
  check_float_tensor(x, op, what);
  check(x.rank() == 3, op, "expected ", what, " of rank 3 [batch, steps, channels], got ", x);
  check(x.dim(1) == window.steps, op, "expected ", what, " with ", window.steps, " steps, got ", x);
  check(window.window >= 1 && window.stride >= 1 && window.dilation >= 1, op,
        "window, stride and dilation must be positive, got ", window.window, ", ", window.stride,
        ", ", window.dilation);
  return detail::geometry_of(window, x.dim(0));
}

void check_companion(const Tensor& t, const Shape& shape, const Tensor& reference,
                     const std::string& op, const std::string& what) {
  check_float_tensor(t, op, what);
  check_dtype(t, reference.dtype(), op, what);
  check_shape(t, shape, op, what);
  check_same_device(t, reference, op);
}

Shape output_shape(const detail::Geometry1d& g, std::int64_t channels) {
  return Shape{g.batch, g.out_steps, channels};
}

// The convolution's kernel [window, channels, filters] and optional bias [filters].
void check_kernel_and_bias(const Tensor& kernel, const Tensor& bias, const Tensor& x,
                           const Window1d& window, const std::string& op,
                           const std::string& kernel_what) {
  check_float_tensor(kernel, op, kernel_what);
  check(kernel.rank() == 3 && kernel.dim(0) == window.window && kernel.dim(1) == x.dim(2), op,
        "expected ", kernel_what, " of shape [", window.window, ", ", x.dim(2), ", filters], got ",
        kernel);
  check_dtype(kernel, x.dtype(), op, kernel_what);
  check_same_device(kernel, x, op);
  if (bias.defined()) check_companion(bias, Shape{kernel.dim(2)}, x, op, "bias");
}

// The forward convolution's operands (the cuseq and the cuDNN kernels take the
// same); returns the kernels' geometry.
detail::Geometry1d checked_conv_forward(const Tensor& x, const Tensor& kernel, const Tensor& bias,
                                        const Window1d& window, const Tensor& y,
                                        const std::string& op) {
  const detail::Geometry1d g = checked_geometry(x, window, op, "x");
  check_kernel_and_bias(kernel, bias, x, window, op, "kernel");
  check_companion(y, output_shape(g, kernel.dim(2)), x, op, "y");
  return g;
}

// A pooling op's sequence [batch, steps, channels], its window and the pooled
// sequence [batch, out_steps, channels]; returns the kernels' geometry.
detail::Geometry1d checked_pool_geometry(const Tensor& sequence, const std::string& sequence_what,
                                         const Window1d& window, const Tensor& pooled,
                                         const std::string& pooled_what, const std::string& op) {
  const detail::Geometry1d g = checked_geometry(sequence, window, op, sequence_what);
  check(window.padding != Padding::causal && window.dilation == 1, op,
        "pooling takes valid or same padding and no dilation");
  check_companion(pooled, output_shape(g, sequence.dim(2)), sequence, op, pooled_what);
  return g;
}

// Max pooling's int32 winner indices, one per pooled element.
void check_argmax(const Tensor& argmax, const Shape& pooled_shape, const Tensor& reference,
                  const std::string& op) {
  check_dtype(argmax, DType::int32, op, "argmax");
  check_shape(argmax, pooled_shape, op, "argmax");
  check_same_device(argmax, reference, op);
}

}  // namespace

void conv1d_forward(const Tensor& x, const Tensor& kernel, const Tensor& bias,
                    const Window1d& window, Tensor& y) {
  const std::string op = "conv1d_forward";
  const detail::Geometry1d g = checked_conv_forward(x, kernel, bias, window, y, op);
  on_backend(x.device(), op,
             [&](auto where) { ConvKernels<decltype(where)>::forward(x, kernel, bias, g, y); });
}

void conv1d_forward_cudnn(const Tensor& x, const Tensor& kernel, const Tensor& bias,
                          const Window1d& window, Tensor& y) {
  const std::string op = "conv1d_forward_cudnn";
  const detail::Geometry1d g = checked_conv_forward(x, kernel, bias, window, y, op);
  on_backend(x.device(), op, [&](auto where) {
    if constexpr (std::is_same_v<decltype(where), detail::Cpu>) {
      fail(op, "cuDNN runs on GPU tensors only, got x ", x.str());
    } else {
      detail::cudnn_conv1d_forward(x, kernel, bias, g, y);
    }
  });
}

void conv1d_backward_input(const Tensor& dy, const Tensor& kernel, const Window1d& window,
                           Tensor& dx) {
  const std::string op = "conv1d_backward_input";
  const detail::Geometry1d g = checked_geometry(dx, window, op, "dx");
  check_kernel_and_bias(kernel, Tensor(), dx, window, op, "kernel");
  check_companion(dy, output_shape(g, kernel.dim(2)), dx, op, "dy");
  on_backend(dx.device(), op,
             [&](auto where) { ConvKernels<decltype(where)>::backward_input(dy, kernel, g, dx); });
}

void conv1d_backward_weights(const Tensor& x, const Tensor& dy, const Window1d& window,
                             Tensor& dkernel, Tensor& dbias) {
  const std::string op = "conv1d_backward_weights";
  const detail::Geometry1d g = checked_geometry(x, window, op, "x");
  check_kernel_and_bias(dkernel, dbias, x, window, op, "dkernel");
  check_companion(dy, output_shape(g, dkernel.dim(2)), x, op, "dy");
  on_backend(x.device(), op, [&](auto where) {
    ConvKernels<decltype(where)>::backward_weights(x, dy, g, dkernel, dbias);
  });
}

void max_pool1d_forward(const Tensor& x, const Window1d& window, Tensor& y, Tensor& argmax) {
  const std::string op = "max_pool1d_forward";
  const detail::Geometry1d g = checked_pool_geometry(x, "x", window, y, "y", op);
  check_argmax(argmax, y.shape(), x, op);
  on_backend(x.device(), op,
             [&](auto where) { PoolKernels<decltype(where)>::max_forward(x, g, y, argmax); });
}

void max_pool1d_backward(const Tensor& dy, const Tensor& argmax, const Window1d& window,
                         Tensor& dx) {
  const std::string op = "max_pool1d_backward";
  const detail::Geometry1d g = checked_pool_geometry(dx, "dx", window, dy, "dy", op);
  check_argmax(argmax, dy.shape(), dx, op);
  on_backend(dx.device(), op,
             [&](auto where) { PoolKernels<decltype(where)>::max_backward(dy, argmax, g, dx); });
}

void average_pool1d_forward(const Tensor& x, const Window1d& window, Tensor& y) {
  const std::string op = "average_pool1d_forward";
  const detail::Geometry1d g = checked_pool_geometry(x, "x", window, y, "y", op);
  on_backend(x.device(), op,
             [&](auto where) { PoolKernels<decltype(where)>::average_forward(x, g, y); });
}

void average_pool1d_backward(const Tensor& dy, const Window1d& window, Tensor& dx) {
  const std::string op = "average_pool1d_backward";
  const detail::Geometry1d g = checked_pool_geometry(dx, "dx", window, dy, "dy", op);
  on_backend(dx.device(), op,
             [&](auto where) { PoolKernels<decltype(where)>::average_backward(dy, g, dx); });
}

}  // namespace ops
}  // namespace cuseq
