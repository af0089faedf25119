// The activations and reductions of cuseq::ops (cuseq/ops.h). A header of its
// own so that the kernels that apply them (kernels/pointwise_math.h,
// kernels/reduce_math.h, the recurrent cells) need the enums and not the
// ops' API.
#pragma once

namespace cuseq {

enum class Activation { linear, relu, sigmoid, tanh, softmax };
enum class Reduction { sum, mean, max };

}  // namespace cuseq
