// Casts between float32 and the 16-bit floating formats used by mixed
// precision (bfloat16, float16): round to nearest even, NaN kept, values past
// the format's range become inf. Tensors of these dtypes are storage only:
// other ops take float32 or float64.
#pragma once

#include "cuseq/export.h"
#include "cuseq/tensor.h"

namespace cuseq::ops {

// out = x in out's dtype: float32 -> bfloat16/float16 or back; same shape and device.
CUSEQ_API void cast(const Tensor& x, Tensor& out);
// A new tensor: x in `dtype`.
CUSEQ_API Tensor cast(const Tensor& x, DType dtype);

}  // namespace cuseq::ops
