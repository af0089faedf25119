// The merge of Bidirectional's two directions (Keras' merge_mode), forward and
// backward. The backward direction's sequence comes in its processing order
// (last step first, as a go_backwards layer returns it); the merge reverses it
// back to time order on the fly, so no reversed copy is ever made.
#pragma once

#include <string>

#include "cuseq/export.h"
#include "cuseq/merge_mode.h"
#include "cuseq/tensor.h"

namespace cuseq {

// "concat", "sum", "mul", "ave"; anything else is an error naming `where`.
CUSEQ_API MergeMode merge_mode_from_name(const std::string& name, const std::string& where);
CUSEQ_API std::string merge_mode_name(MergeMode mode);
// The merged shape of two directions of shape `direction`: concat doubles the last axis.
CUSEQ_API Shape merged_shape(MergeMode mode, const Shape& direction);

namespace ops {

// forward, backward: [batch, steps, units] (sequences; backward's steps
// reversed) or [batch, units] (final states). out: the same shape, with
// 2 * units for concat: out[b, t] = merge(forward[b, t], backward[b, steps-1-t]).
CUSEQ_API void bidirectional_merge(MergeMode mode, const Tensor& forward, const Tensor& backward,
                                   Tensor& out);

// The gradients of bidirectional_merge: d_forward, d_backward (shaped like
// forward and backward; overwritten) from d_out.
CUSEQ_API void bidirectional_merge_backward(MergeMode mode, const Tensor& forward,
                                            const Tensor& backward, const Tensor& d_out,
                                            Tensor& d_forward, Tensor& d_backward);

}  // namespace ops
}  // namespace cuseq
