// Dropout's keep decision, shared by every kernel that drops units (the
// Dropout layer's, and ops::dropout_mask's for recurrent dropout): element `index` of a Philox
// stream is kept when its 32 random bits reach an integer threshold, so the CPU and the GPU make
// bit-identical masks.
#pragma once

#include <cstdint>

#include "cuseq/host_device.h"
#include "cuseq/philox.h"

namespace cuseq::detail {

// The threshold that drops a fraction `rate` in [0, 1) of the 2^32 bit patterns.
inline std::uint32_t dropout_threshold(double rate) {
  const double scaled = rate * 4294967296.0;
  return scaled >= 4294967295.0 ? 0xFFFFFFFFu : static_cast<std::uint32_t>(scaled);
}

CUSEQ_HOST_DEVICE bool dropout_keeps(std::uint64_t seed, std::uint64_t stream, std::uint64_t index,
                                     std::uint32_t threshold) {
  return philox_bits(seed, stream, index) >= threshold;
}

}  // namespace cuseq::detail
