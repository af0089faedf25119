// Keras' weight initializers. Each draws from one fresh stream of a
// Generator through ops::random_uniform, so a seeded model gets the same
// initial weights on the CPU and the GPU.
#pragma once

#include <cstdint>
#include <string>

#include "cuseq/export.h"
#include "cuseq/rng.h"
#include "cuseq/shape.h"
#include "cuseq/tensor.h"

namespace cuseq {

// Keras' fan computation: [in, out] for a matrix; for higher ranks the
// leading extents form a receptive field multiplying both fans.
struct Fans {
  double fan_in;
  double fan_out;
};
CUSEQ_API Fans compute_fans(const Shape& shape);

namespace initializers {

CUSEQ_API void zeros(Tensor& weight);
CUSEQ_API void ones(Tensor& weight);
// Keras' RandomUniform (Embedding's default is uniform(-0.05, 0.05)).
CUSEQ_API void random_uniform(Tensor& weight, Generator& generator, double minval = -0.05,
                              double maxval = 0.05);
// uniform(-limit, limit) with limit = sqrt(6 / (fan_in + fan_out)).
CUSEQ_API void glorot_uniform(Tensor& weight, Generator& generator);
// Keras' orthogonal initializer (gain 1): a matrix with orthonormal rows or
// columns, whichever are fewer, from Gram-Schmidt on Philox normals (the
// recurrent kernels' default).
CUSEQ_API void orthogonal(Tensor& weight, Generator& generator);

// By Keras' name: "glorot_uniform", "zeros", "ones", "uniform" (or "random_uniform").
CUSEQ_API void initialize(const std::string& name, Tensor& weight, Generator& generator);

}  // namespace initializers
}  // namespace cuseq
