// The math shared by the reduction and softmax kernels of both backends.
#pragma once

#include <cmath>
#include <cstdint>

#include "cuseq/activation.h"
#include "cuseq/host_device.h"

namespace cuseq::detail {

template <class T>
CUSEQ_HOST_DEVICE T reduction_identity(Reduction reduction) {
  return reduction == Reduction::max ? T(-INFINITY) : T(0);
}

template <class T>
CUSEQ_HOST_DEVICE T reduction_combine(Reduction reduction, T accumulated, T value) {
  if (reduction == Reduction::max) return value > accumulated ? value : accumulated;
  return accumulated + value;
}

template <class T>
CUSEQ_HOST_DEVICE T reduction_finish(Reduction reduction, T accumulated, std::int64_t extent) {
  return reduction == Reduction::mean ? accumulated / T(extent) : accumulated;
}

}  // namespace cuseq::detail
