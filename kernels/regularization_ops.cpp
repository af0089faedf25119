// cuseq::ops regularization ops: argument checks, then one dispatch.
#include "cuseq/regularization_ops.h"

#include "kernels/regularization.h"

namespace cuseq::ops {
namespace {

void check_weights(const Tensor& w, const std::string& op) {
  check(w.defined(), op, "w is undefined");
  check(w.dtype() == DType::float32 || w.dtype() == DType::float64, op,
        "expected w of dtype float32 or float64, got ", w);
}

}  // namespace

void regularization_penalty(const Tensor& w, double l1, double l2, Tensor& out) {
  const std::string op = "regularization_penalty";
  check_weights(w, op);
  check_dtype(out, w.dtype(), op, "out");
  check_shape(out, Shape{}, op, "out");
  check_same_device(out, w, op);
  detail::on_backend(w.device(), op, [&](auto where) {
    detail::RegularizationKernels<decltype(where)>::penalty(w, l1, l2, out);
  });
}

Tensor regularization_penalty(const Tensor& w, double l1, double l2) {
  check_weights(w, "regularization_penalty");
  Tensor out = Tensor::empty(Shape{}, w.dtype(), w.device());
  regularization_penalty(w, l1, l2, out);
  return out;
}

void add_regularization_grad(const Tensor& w, double l1, double l2, Tensor& grad) {
  const std::string op = "add_regularization_grad";
  check_weights(w, op);
  check_dtype(grad, w.dtype(), op, "grad");
  check_shape(grad, w.shape(), op, "grad");
  check_same_device(grad, w, op);
  detail::on_backend(w.device(), op, [&](auto where) {
    detail::RegularizationKernels<decltype(where)>::add_grad(w, l1, l2, grad);
  });
}

}  // namespace cuseq::ops
