// One source for Bidirectional's merge kernels of both backends: body
// functors over bidirectional_math.h walked by for_each_index(Where{}, ...),
// one index per forward-direction element. bidirectional.cu and
// bidirectional_cpu.cpp include this after their walker and instantiate it.
#pragma once

#include "kernels/bidirectional_kernels.h"
#include "kernels/bidirectional_math.h"
#include "kernels/dtype_dispatch.h"

namespace cuseq::detail {

template <class T>
struct MergeBody {
  MergeMode mode;
  MergeExtents extents;
  const T* forward;
  const T* backward;
  T* out;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const {
    const T f = forward[i], b = backward[mirrored_index(extents, i)];
    if (mode == MergeMode::concat) {
      const std::int64_t row = i / extents.units, unit = i % extents.units;
      out[row * 2 * extents.units + unit] = f;
      out[row * 2 * extents.units + extents.units + unit] = b;
    } else {
      out[i] = merged_value(mode, f, b);
    }
  }
};

template <class T>
struct MergeBackwardBody {
  MergeMode mode;
  MergeExtents extents;
  const T* forward;
  const T* backward;
  const T* d_out;
  T* d_forward;
  T* d_backward;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const {
    const std::int64_t mirrored = mirrored_index(extents, i);
    if (mode == MergeMode::concat) {
      const std::int64_t row = i / extents.units, unit = i % extents.units;
      d_forward[i] = d_out[row * 2 * extents.units + unit];
      d_backward[mirrored] = d_out[row * 2 * extents.units + extents.units + unit];
    } else {
      d_forward[i] = merge_gradient(mode, d_out[i], backward[mirrored]);
      d_backward[mirrored] = merge_gradient(mode, d_out[i], forward[i]);
    }
  }
};

inline MergeExtents merge_extents(const Tensor& forward) {
  return forward.rank() == 3 ? MergeExtents{forward.dim(1), forward.dim(2)}
                             : MergeExtents{1, forward.dim(1)};
}

template <class Where>
void BidirectionalKernels<Where>::merge(MergeMode mode, const Tensor& forward,
                                        const Tensor& backward, Tensor& out) {
  dispatch_floating(forward.dtype(), "bidirectional_merge", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_index(Where{}, forward.numel(),
                   MergeBody<T>{mode, merge_extents(forward), forward.data<T>(), backward.data<T>(),
                                out.data<T>()});
  });
}

template <class Where>
void BidirectionalKernels<Where>::merge_backward(MergeMode mode, const Tensor& forward,
                                                 const Tensor& backward, const Tensor& d_out,
                                                 Tensor& d_forward, Tensor& d_backward) {
  dispatch_floating(forward.dtype(), "bidirectional_merge_backward", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_index(
        Where{}, forward.numel(),
        MergeBackwardBody<T>{mode, merge_extents(forward), forward.data<T>(), backward.data<T>(),
                             d_out.data<T>(), d_forward.data<T>(), d_backward.data<T>()});
  });
}

}  // namespace cuseq::detail
