// cuseq::ops::cast: argument checks, then one dispatch to the device's kernels.
#include "cuseq/cast_ops.h"

#include "kernels/cast.h"

namespace cuseq::ops {
namespace {

bool is_half(DType dtype) { return dtype == DType::bfloat16 || dtype == DType::float16; }

}  // namespace

void cast(const Tensor& x, Tensor& out) {
  const std::string op = "cast";
  check(x.defined() && out.defined(), op, "x and out must be defined");
  check((x.dtype() == DType::float32 && is_half(out.dtype())) ||
            (is_half(x.dtype()) && out.dtype() == DType::float32),
        op, "expected float32 -> bfloat16/float16 or bfloat16/float16 -> float32, got ", x, " -> ",
        out);
  check_shape(out, x.shape(), op, "out");
  check_same_device(x, out, op);
  detail::on_backend(out.device(), op,
                     [&](auto where) { detail::CastKernels<decltype(where)>::cast(x, out); });
}

Tensor cast(const Tensor& x, DType dtype) {
  check(x.defined(), "cast", "x is undefined");
  Tensor out = Tensor::empty(x.shape(), dtype, x.device());
  cast(x, out);
  return out;
}

}  // namespace cuseq::ops
