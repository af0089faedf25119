// Layers used alone, outside a model, build themselves on their first
// forward: for the shape of that input and from one process-wide generator.
#pragma once

#include "cuseq/layer.h"

namespace cuseq::detail {

// The generator of layers built on their first call: one per process, seeded
// with Generator's default.
Generator& standalone_generator();

// Builds `layer` for `input` (batch axis dropped) unless it is built, with
// weights of `weight_dtype` on the input's device.
void build_on_first_call(Layer& layer, const Tensor& input, DType weight_dtype);

}  // namespace cuseq::detail
