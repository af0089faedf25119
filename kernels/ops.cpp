// cuseq::ops: argument checks, then one dispatch to the device's kernels.
#include "cuseq/ops.h"

#include "kernels/backend.h"

namespace cuseq {

Activation activation_from_name(const std::string& name) {
  if (name.empty() || name == "linear") return Activation::linear;
  if (name == "relu") return Activation::relu;
  if (name == "sigmoid") return Activation::sigmoid;
  if (name == "tanh") return Activation::tanh;
  if (name == "softmax") return Activation::softmax;
  fail("activation", "unknown activation \"", name,
       "\"; expected one of linear, relu, sigmoid, tanh, softmax");
}

std::string activation_name(Activation activation) {
  switch (activation) {
    case Activation::linear:
      return "linear";
    case Activation::relu:
      return "relu";
    case Activation::sigmoid:
      return "sigmoid";
    case Activation::tanh:
      return "tanh";
    case Activation::softmax:
      return "softmax";
  }
  return "unknown";
}

namespace detail {

void fail_without_cuda(const std::string& op) {
  fail(op, "the tensors are on a GPU but cuseq was built without CUDA (CUSEQ_CUDA=OFF)");
}

}  // namespace detail

namespace ops {
namespace {

using detail::Kernels;
using detail::on_backend;

bool is_floating(DType dtype) { return dtype == DType::float32 || dtype == DType::float64; }

void check_floating(const Tensor& t, const std::string& op, const std::string& what) {
  check(t.defined(), op, what, " is undefined");
  check(is_floating(t.dtype()), op, "expected ", what, " of dtype float32 or float64, got ", t);
}

// Same shape, same floating dtype, same device as `reference`.
void check_like(const Tensor& t, const Tensor& reference, const std::string& op,
                const std::string& what) {
  check_floating(t, op, what);
  check_dtype(t, reference.dtype(), op, what);
  check_shape(t, reference.shape(), op, what);
  check_same_device(t, reference, op);
}

int normalize_axis(int axis, int rank, const std::string& op) {
  const int resolved = axis < 0 ? axis + rank : axis;
  check(resolved >= 0 && resolved < rank, op, "axis ", axis, " out of range for rank ", rank);
  return resolved;
}

Shape without_axis(const Shape& shape, int axis) {
  std::vector<std::int64_t> dims = shape.dims();
  dims.erase(dims.begin() + axis);
  return Shape(dims);
}

void binary(detail::BinaryOp op, const Tensor& a, const Tensor& b, Tensor& out,
            const std::string& name) {
  check_floating(a, name, "a");
  check_like(b, a, name, "b");
  check_like(out, a, name, "out");
  on_backend(out.device(), name,
             [&](auto where) { Kernels<decltype(where)>::binary(op, a, b, out); });
}

}  // namespace

void gemm(const Tensor& a, bool transpose_a, const Tensor& b, bool transpose_b, Tensor& c,
          double alpha, double beta) {
  const std::string op = "gemm";
  check_floating(a, op, "a");
  check(a.rank() == 2 && b.rank() == 2 && c.rank() == 2, op, "expected matrices, got a ", a, ", b ",
        b, ", c ", c);
  check_dtype(b, a.dtype(), op, "b");
  check_dtype(c, a.dtype(), op, "c");
  check_same_device(a, b, op);
  check_same_device(a, c, op);
  const std::int64_t m = transpose_a ? a.dim(1) : a.dim(0);
  const std::int64_t k = transpose_a ? a.dim(0) : a.dim(1);
  const std::int64_t kb = transpose_b ? b.dim(1) : b.dim(0);
  const std::int64_t n = transpose_b ? b.dim(0) : b.dim(1);
  check(k == kb, op, "inner extents differ: op(a) is [", m, ", ", k, "], op(b) is [", kb, ", ", n,
        "]");
  check_shape(c, Shape{m, n}, op, "c");
  on_backend(c.device(), op, [&](auto where) {
    Kernels<decltype(where)>::gemm(a, transpose_a, b, transpose_b, c, alpha, beta);
  });
}

Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b) {
  check(a.rank() == 2 && b.rank() == 2, "matmul", "expected matrices, got ", a, " and ", b);
  Tensor c =
      Tensor::empty(Shape{transpose_a ? a.dim(1) : a.dim(0), transpose_b ? b.dim(0) : b.dim(1)},
                    a.dtype(), a.device());
  gemm(a, transpose_a, b, transpose_b, c);
  return c;
}

void add(const Tensor& a, const Tensor& b, Tensor& out) {
  binary(detail::BinaryOp::add, a, b, out, "add");
}
void subtract(const Tensor& a, const Tensor& b, Tensor& out) {
  binary(detail::BinaryOp::subtract, a, b, out, "subtract");
}
void multiply(const Tensor& a, const Tensor& b, Tensor& out) {
  binary(detail::BinaryOp::multiply, a, b, out, "multiply");
}

void axpby(double alpha, const Tensor& x, double beta, const Tensor& y, Tensor& out) {
  check_floating(x, "axpby", "x");
  check_like(y, x, "axpby", "y");
  check_like(out, x, "axpby", "out");
  on_backend(out.device(), "axpby",
             [&](auto where) { Kernels<decltype(where)>::axpby(alpha, x, beta, y, out); });
}

void bias_add(const Tensor& x, const Tensor& bias, Tensor& out) {
  check_floating(x, "bias_add", "x");
  check(x.rank() >= 1, "bias_add", "expected x of rank >= 1, got ", x);
  check_floating(bias, "bias_add", "bias");
  check_dtype(bias, x.dtype(), "bias_add", "bias");
  check_shape(bias, Shape{x.dim(-1)}, "bias_add", "bias");
  check_same_device(bias, x, "bias_add");
  check_like(out, x, "bias_add", "out");
  on_backend(out.device(), "bias_add",
             [&](auto where) { Kernels<decltype(where)>::bias_add(x, bias, out); });
}

void fill(Tensor& out, double value) {
  check(out.defined(), "fill", "out is undefined");
  check(is_floating(out.dtype()) || out.dtype() == DType::int32, "fill",
        "expected a float32, float64 or int32 tensor, got ", out);
  on_backend(out.device(), "fill", [&](auto where) { Kernels<decltype(where)>::fill(out, value); });
}

void random_uniform(Tensor& out, double low, double high, Generator::Stream stream) {
  check_floating(out, "random_uniform", "out");
  check(low <= high, "random_uniform", "expected low <= high, got ", low, " > ", high);
  on_backend(out.device(), "random_uniform",
             [&](auto where) { Kernels<decltype(where)>::random_uniform(out, low, high, stream); });
}

void random_normal(Tensor& out, double mean, double stddev, Generator::Stream stream) {
  check_floating(out, "random_normal", "out");
  check(stddev >= 0, "random_normal", "expected stddev >= 0, got ", stddev);
  on_backend(out.device(), "random_normal", [&](auto where) {
    Kernels<decltype(where)>::random_normal(out, mean, stddev, stream);
  });
}

void activation_forward(Activation activation, const Tensor& x, Tensor& y) {
  const std::string op = "activation " + activation_name(activation);
  check_floating(x, op, "x");
  check_like(y, x, op, "y");
  on_backend(y.device(), op, [&](auto where) {
    using K = Kernels<decltype(where)>;
    if (activation == Activation::softmax) {
      check(x.rank() >= 1 && x.dim(-1) > 0, op, "needs a non-empty last axis, got ", x);
      K::softmax_forward(x, x.dim(-1), y);
    } else {
      K::activation_forward(activation, x, y);
    }
  });
}

void activation_backward(Activation activation, const Tensor& y, const Tensor& dy, Tensor& dx) {
  const std::string op = "activation " + activation_name(activation) + " backward";
  check_floating(y, op, "y");
  check_like(dy, y, op, "dy");
  check_like(dx, y, op, "dx");
  on_backend(dx.device(), op, [&](auto where) {
    using K = Kernels<decltype(where)>;
    if (activation == Activation::softmax) {
      check(y.rank() >= 1 && y.dim(-1) > 0, op, "needs a non-empty last axis, got ", y);
      K::softmax_backward(y, dy, y.dim(-1), dx);
    } else {
      K::activation_backward(activation, y, dy, dx);
    }
  });
}

void reduce(Reduction reduction, const Tensor& x, int axis, Tensor& out) {
  const std::string op = "reduce";
  check_floating(x, op, "x");
  check(x.rank() >= 1, op, "expected x of rank >= 1, got ", x);
  const int resolved = normalize_axis(axis, x.rank(), op);
  check(reduction != Reduction::max || x.dim(resolved) > 0, op,
        "max over an empty axis is undefined: ", x);
  check_dtype(out, x.dtype(), op, "out");
  check_shape(out, without_axis(x.shape(), resolved), op, "out");
  check_same_device(out, x, op);
  std::int64_t outer = 1, inner = 1;
  for (int i = 0; i < resolved; ++i) outer *= x.dim(i);
  for (int i = resolved + 1; i < x.rank(); ++i) inner *= x.dim(i);
  on_backend(out.device(), op, [&](auto where) {
    Kernels<decltype(where)>::reduce(reduction, x, outer, x.dim(resolved), inner, out);
  });
}

Tensor reduce(Reduction reduction, const Tensor& x, int axis) {
  check(x.rank() >= 1, "reduce", "expected x of rank >= 1, got ", x);
  Tensor out = Tensor::empty(without_axis(x.shape(), normalize_axis(axis, x.rank(), "reduce")),
                             x.dtype(), x.device());
  reduce(reduction, x, axis, out);
  return out;
}

Tensor reduce_all(Reduction reduction, const Tensor& x) {
  return reduce(reduction, x.reshape({x.numel()}), 0);
}

void argmax(const Tensor& x, Tensor& out) {
  check_floating(x, "argmax", "x");
  check(x.rank() >= 1 && x.dim(-1) > 0, "argmax", "needs a non-empty last axis, got ", x);
  check_dtype(out, DType::int32, "argmax", "out");
  check_shape(out, without_axis(x.shape(), x.rank() - 1), "argmax", "out");
  check_same_device(out, x, "argmax");
  on_backend(out.device(), "argmax",
             [&](auto where) { Kernels<decltype(where)>::argmax(x, x.dim(-1), out); });
}

Tensor argmax(const Tensor& x) {
  check(x.rank() >= 1, "argmax", "expected x of rank >= 1, got ", x);
  Tensor out = Tensor::empty(without_axis(x.shape(), x.rank() - 1), DType::int32, x.device());
  argmax(x, out);
  return out;
}

void swap_leading_axes(const Tensor& x, Tensor& out) {
  const std::string op = "swap_leading_axes";
  check(x.defined() && x.rank() >= 2, op, "expected a tensor of rank >= 2, got ", x);
  std::vector<std::int64_t> dims = x.shape().dims();
  std::swap(dims[0], dims[1]);
  check_dtype(out, x.dtype(), op, "out");
  check_shape(out, Shape(dims), op, "out");
  check_same_device(out, x, op);
  const std::int64_t inner = x.dim(0) * x.dim(1) == 0 ? 0 : x.numel() / (x.dim(0) * x.dim(1));
  on_backend(out.device(), op, [&](auto where) {
    Kernels<decltype(where)>::swap_leading_axes(x, x.dim(0), x.dim(1), inner, out);
  });
}

Tensor swap_leading_axes(const Tensor& x) {
  check(x.defined() && x.rank() >= 2, "swap_leading_axes", "expected a tensor of rank >= 2, got ",
        x);
  std::vector<std::int64_t> dims = x.shape().dims();
  std::swap(dims[0], dims[1]);
  Tensor out = Tensor::empty(Shape(dims), x.dtype(), x.device());
  swap_leading_axes(x, out);
  return out;
}

}  // namespace ops
}  // namespace cuseq
