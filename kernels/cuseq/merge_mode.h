// How Bidirectional merges its two directions (Keras' merge_mode). A header of
// its own so that the merge's kernels (kernels/bidirectional.h) need the
// enum and not the ops' API (cuseq/bidirectional_ops.h).
#pragma once

namespace cuseq {

enum class MergeMode { concat, sum, mul, ave };

}  // namespace cuseq
