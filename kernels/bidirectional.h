// Bidirectional's merge kernel family, one source for both backends: the
// pointwise math of the merge (one call handles one (sample, step, unit) of
// the forward direction and the backward direction's value at the mirrored
// step), the kernels' one interface, and their definition as body functors
// walked by for_each_index(Where{}, ...), one index per forward-direction
// element. bidirectional_cpu.cpp instantiates them for the CPU (cuseq's thread
// pool), bidirectional.cu for CUDA; bidirectional_ops.cpp checks the arguments
// and dispatches.
#pragma once

#include <cstdint>

#include "cuseq/host_device.h"
#include "cuseq/merge_mode.h"
#include "cuseq/tensor.h"
#include "kernels/backend.h"
#include "kernels/dtype_dispatch.h"

namespace cuseq::detail {

template <class Where>
struct BidirectionalKernels {
  // Arguments as ops::bidirectional_merge(_backward), already checked; rank-2
  // tensors are walked as one step.
  static void merge(MergeMode mode, const Tensor& forward, const Tensor& backward, Tensor& out);
  static void merge_backward(MergeMode mode, const Tensor& forward, const Tensor& backward,
                             const Tensor& d_out, Tensor& d_forward, Tensor& d_backward);
};
// Instantiated only where the walker is: bidirectional_cpu.cpp and bidirectional.cu.
extern template struct BidirectionalKernels<Cpu>;
extern template struct BidirectionalKernels<Cuda>;

struct MergeExtents {
  std::int64_t steps, units;
};

// Where the backward direction keeps the value of forward index i = (sample, t, unit).
CUSEQ_HOST_DEVICE std::int64_t mirrored_index(const MergeExtents& e, std::int64_t i) {
  const std::int64_t unit = i % e.units, row = i / e.units;
  const std::int64_t step = row % e.steps, sample = row / e.steps;
  return (sample * e.steps + (e.steps - 1 - step)) * e.units + unit;
}

template <class T>
CUSEQ_HOST_DEVICE T merged_value(MergeMode mode, T forward, T backward) {
  switch (mode) {
    case MergeMode::sum:
      return forward + backward;
    case MergeMode::mul:
      return forward * backward;
    case MergeMode::ave:
      return T(0.5) * (forward + backward);
    case MergeMode::concat:
      break;
  }
  return forward;  // concat writes the two values apart, see MergeBody
}

// d(merged)/d(forward) times d_out; swap the arguments for d(merged)/d(backward).
template <class T>
CUSEQ_HOST_DEVICE T merge_gradient(MergeMode mode, T d_out, T other) {
  switch (mode) {
    case MergeMode::mul:
      return d_out * other;
    case MergeMode::ave:
      return T(0.5) * d_out;
    case MergeMode::sum:
    case MergeMode::concat:
      break;
  }
  return d_out;
}

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
