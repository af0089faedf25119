// cuseq::ops::copy_time_block: argument checks, then one dispatch to the
// device's kernels.
#include "cuseq/time_block_ops.h"

#include <string>
#include <vector>

#include "kernels/time_block.h"

namespace cuseq::ops {
namespace {

void check_sequence(const Tensor& t, const std::string& op, const std::string& what) {
  check(t.defined() && (t.rank() == 2 || t.rank() == 3), op, "expected ", what,
        " [batch, steps] or [batch, steps, features], got ", t);
  check(t.dtype() == DType::float32 || t.dtype() == DType::float64, op,
        "expected a float32 or float64 ", what, ", got ", t);
}

void check_range(std::int64_t begin, std::int64_t steps, std::int64_t extent, const std::string& op,
                 const std::string& what) {
  check(begin >= 0 && begin + steps <= extent, op, "steps [", begin, ", ", begin + steps,
        ") are outside the ", extent, " steps of the ", what);
}

}  // namespace

void copy_time_block(const Tensor& source, std::int64_t source_begin, Tensor& destination,
                     std::int64_t destination_begin, std::int64_t steps) {
  const std::string op = "copy_time_block";
  check_sequence(source, op, "source");
  check_sequence(destination, op, "destination");
  check(source.rank() == destination.rank() && source.dim(0) == destination.dim(0) &&
            (source.rank() == 2 || source.dim(2) == destination.dim(2)),
        op, "expected source and destination with the same batch and features, got ", source,
        " and ", destination);
  check_dtype(destination, source.dtype(), op, "destination");
  check_same_device(source, destination, op);
  check(steps >= 0, op, "expected steps >= 0, got ", steps);
  check_range(source_begin, steps, source.dim(1), op, "source");
  check_range(destination_begin, steps, destination.dim(1), op, "destination");
  if (steps == 0 || source.numel() == 0) return;
  detail::on_backend(source.device(), op, [&](auto where) {
    detail::TimeBlockKernels<decltype(where)>::copy(source, source_begin, destination,
                                                    destination_begin, steps);
  });
}

Tensor time_block(const Tensor& x, std::int64_t begin, std::int64_t steps) {
  check_sequence(x, "time_block", "x");
  std::vector<std::int64_t> dims = x.shape().dims();
  dims[1] = steps;
  Tensor out = Tensor::empty(Shape(dims), x.dtype(), x.device());
  copy_time_block(x, begin, out, 0, steps);
  return out;
}

}  // namespace cuseq::ops
