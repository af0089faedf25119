// Bidirectional's merge ops: argument checks, then the backend's kernel.
#include "cuseq/bidirectional_ops.h"

#include <vector>

#include "kernels/bidirectional.h"

namespace cuseq {

MergeMode merge_mode_from_name(const std::string& name, const std::string& where) {
  if (name == "concat") return MergeMode::concat;
  if (name == "sum") return MergeMode::sum;
  if (name == "mul") return MergeMode::mul;
  if (name == "ave") return MergeMode::ave;
  fail(where, "unknown merge_mode \"", name, "\"; expected one of concat, sum, mul, ave");
}

std::string merge_mode_name(MergeMode mode) {
  switch (mode) {
    case MergeMode::concat:
      return "concat";
    case MergeMode::sum:
      return "sum";
    case MergeMode::mul:
      return "mul";
    case MergeMode::ave:
      return "ave";
  }
  return "unknown";
}

Shape merged_shape(MergeMode mode, const Shape& direction) {
  std::vector<std::int64_t> dims = direction.dims();
  if (mode == MergeMode::concat) dims.back() *= 2;
  return Shape(dims);
}

namespace ops {
namespace {

using detail::BidirectionalKernels;
using detail::on_backend;

void check_directions(const Tensor& forward, const Tensor& backward, const std::string& op) {
  check(forward.defined() && (forward.rank() == 2 || forward.rank() == 3), op,
        "expected a forward direction [batch, steps, units] or [batch, units], got ", forward);
  check(forward.dtype() == DType::float32 || forward.dtype() == DType::float64, op,
        "expected float32 or float64, got ", forward);
  check(backward.defined(), op, "the backward direction is undefined");
  check_shape(backward, forward.shape(), op, "backward direction");
  check_dtype(backward, forward.dtype(), op, "backward direction");
  check_same_device(backward, forward, op);
}

void check_companion(const Tensor& t, const Shape& shape, const Tensor& forward,
                     const std::string& op, const std::string& what) {
  check(t.defined(), op, what, " is undefined");
  check_shape(t, shape, op, what);
  check_dtype(t, forward.dtype(), op, what);
  check_same_device(t, forward, op);
}

}  // namespace

void bidirectional_merge(MergeMode mode, const Tensor& forward, const Tensor& backward,
                         Tensor& out) {
  const std::string op = "bidirectional_merge";
  check_directions(forward, backward, op);
  check_companion(out, merged_shape(mode, forward.shape()), forward, op, "out");
  on_backend(forward.device(), op, [&](auto where) {
    BidirectionalKernels<decltype(where)>::merge(mode, forward, backward, out);
  });
}

void bidirectional_merge_backward(MergeMode mode, const Tensor& forward, const Tensor& backward,
                                  const Tensor& d_out, Tensor& d_forward, Tensor& d_backward) {
  const std::string op = "bidirectional_merge_backward";
  check_directions(forward, backward, op);
  check_companion(d_out, merged_shape(mode, forward.shape()), forward, op, "d_out");
  check_companion(d_forward, forward.shape(), forward, op, "d_forward");
  check_companion(d_backward, forward.shape(), forward, op, "d_backward");
  on_backend(forward.device(), op, [&](auto where) {
    BidirectionalKernels<decltype(where)>::merge_backward(mode, forward, backward, d_out, d_forward,
                                                          d_backward);
  });
}

}  // namespace ops
}  // namespace cuseq
