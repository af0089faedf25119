#include "cuseq/initializers.h"

#include <cmath>

#include "cuseq/error.h"
#include "cuseq/ops.h"

namespace cuseq {

Fans compute_fans(const Shape& shape) {
  if (shape.rank() == 0) return Fans{1, 1};
  if (shape.rank() == 1) return Fans{double(shape[0]), double(shape[0])};
  double receptive_field = 1;
  for (int axis = 0; axis + 2 < shape.rank(); ++axis) receptive_field *= double(shape[axis]);
  return Fans{double(shape[-2]) * receptive_field, double(shape[-1]) * receptive_field};
}

namespace initializers {

void zeros(Tensor& weight) { ops::fill(weight, 0.0); }
void ones(Tensor& weight) { ops::fill(weight, 1.0); }

void random_uniform(Tensor& weight, Generator& generator, double minval, double maxval) {
  ops::random_uniform(weight, minval, maxval, generator.next_stream());
}

void glorot_uniform(Tensor& weight, Generator& generator) {
  const Fans fans = compute_fans(weight.shape());
  const double limit = std::sqrt(6.0 / std::max(1.0, fans.fan_in + fans.fan_out));
  random_uniform(weight, generator, -limit, limit);
}

void initialize(const std::string& name, Tensor& weight, Generator& generator) {
  if (name == "glorot_uniform") return glorot_uniform(weight, generator);
  if (name == "zeros") return zeros(weight);
  if (name == "ones") return ones(weight);
  if (name == "uniform" || name == "random_uniform") return random_uniform(weight, generator);
  fail("initializer", "unknown initializer \"", name,
       "\"; expected one of glorot_uniform, zeros, ones, uniform");
}

}  // namespace initializers
}  // namespace cuseq
