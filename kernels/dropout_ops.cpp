// cuseq::ops dropout ops: argument checks, then one dispatch.
#include "cuseq/dropout_ops.h"

#include "kernels/dropout.h"

namespace cuseq::ops {
namespace {

void check_rate(double rate, const std::string& op) {
  check(rate >= 0.0 && rate < 1.0, op, "expected a rate in [0, 1), got ", rate);
}

void check_floating(const Tensor& t, const std::string& op, const std::string& what) {
  check(t.defined(), op, what, " is undefined");
  check(t.dtype() == DType::float32 || t.dtype() == DType::float64, op, "expected ", what,
        " of dtype float32 or float64, got ", t);
}

}  // namespace

void dropout_mask(double rate, Generator::Stream stream, Tensor& mask) {
  check_floating(mask, "dropout_mask", "mask");
  check_rate(rate, "dropout_mask");
  detail::on_backend(mask.device(), "dropout_mask", [&](auto where) {
    detail::DropoutKernels<decltype(where)>::mask(detail::dropout_threshold(rate),
                                                  1.0 / (1.0 - rate), stream, mask);
  });
}

void dropout_forward(const Tensor& x, double rate, Generator::Stream stream, Tensor& mask,
                     Tensor& y) {
  const std::string op = "dropout_forward";
  check_floating(x, op, "x");
  check_rate(rate, op);
  for (const Tensor* t : {&mask, &y}) {
    check_floating(*t, op, t == &mask ? "mask" : "y");
    check_dtype(*t, x.dtype(), op, t == &mask ? "mask" : "y");
    check_shape(*t, x.shape(), op, t == &mask ? "mask" : "y");
    check_same_device(*t, x, op);
  }
  detail::on_backend(y.device(), op, [&](auto where) {
    detail::DropoutKernels<decltype(where)>::forward(x, detail::dropout_threshold(rate),
                                                     1.0 / (1.0 - rate), stream, mask, y);
  });
}

}  // namespace cuseq::ops
