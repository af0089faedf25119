// The pointwise math of Bidirectional's merge, for the CUDA kernels and their
// CPU twins: one call handles one (sample, step, unit) of the forward
// direction and the backward direction's value at the mirrored step.
#pragma once

#include <cstdint>

#include "cuseq/host_device.h"
#include "cuseq/merge_mode.h"

namespace cuseq::detail {

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

}  // namespace cuseq::detail
