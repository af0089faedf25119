#include "cuseq/initializers.h"

#include <algorithm>
#include <cmath>
#include <vector>

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

void orthogonal(Tensor& weight, Generator& generator) {
  check(weight.rank() >= 2, "orthogonal", "expected a matrix, got ", weight);
  const std::int64_t columns = weight.dim(-1), rows = weight.numel() / columns;
  // Orthonormalise the columns of a tall [n, m] normal matrix; transpose when wide.
  const std::int64_t n = std::max(rows, columns), m = std::min(rows, columns);
  Tensor normal = Tensor::empty(Shape{n, m}, DType::float64);
  ops::random_normal(normal, 0.0, 1.0, generator.next_stream());
  std::vector<double> a = normal.to_vector<double>();
  for (std::int64_t j = 0; j < m; ++j) {
    for (int pass = 0; pass < 2;
         ++pass) {  // re-orthogonalise once: modified Gram-Schmidt is then exact to rounding
      for (std::int64_t k = 0; k < j; ++k) {
        double dot = 0;
        for (std::int64_t i = 0; i < n; ++i) dot += a[i * m + j] * a[i * m + k];
        for (std::int64_t i = 0; i < n; ++i) a[i * m + j] -= dot * a[i * m + k];
      }
    }
    double norm = 0;
    for (std::int64_t i = 0; i < n; ++i) norm += a[i * m + j] * a[i * m + j];
    norm = std::sqrt(norm);
    for (std::int64_t i = 0; i < n; ++i) a[i * m + j] /= norm;
  }
  std::vector<double> values(static_cast<std::size_t>(rows * columns));
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t c = 0; c < columns; ++c) {
      values[r * columns + c] = rows >= columns ? a[r * m + c] : a[c * m + r];
    }
  }
  weight.copy_from(
      weight.dtype() == DType::float32
          ? Tensor::from_vector(std::vector<float>(values.begin(), values.end()), weight.shape())
          : Tensor::from_vector(values, weight.shape()));
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
