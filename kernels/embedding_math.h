// The mask_zero body shared by embedding_cpu.cpp and embedding.cu.
#pragma once

#include <cstdint>

#include "cuseq/host_device.h"

namespace cuseq::detail {

template <class T>
struct NonzeroMaskBody {
  const std::int32_t* ids;
  T* mask;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const { mask[i] = ids[i] != 0 ? T(1) : T(0); }
};

}  // namespace cuseq::detail
