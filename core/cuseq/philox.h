// Philox-4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
// SC'11): a counter-based generator. The output is a pure function of
// (counter, key), so the CPU and every GPU thread compute bit-identical
// numbers without sharing state; this is what makes dropout masks identical
// on both backends and runs reproducible.
#pragma once

#include <cstdint>

#include "cuseq/host_device.h"

namespace cuseq {

struct Philox4 {
  std::uint32_t v[4];
};

namespace detail {

CUSEQ_HOST_DEVICE std::uint32_t mulhilo32(std::uint32_t a, std::uint32_t b, std::uint32_t* hi) {
  const std::uint64_t product = static_cast<std::uint64_t>(a) * b;
  *hi = static_cast<std::uint32_t>(product >> 32);
  return static_cast<std::uint32_t>(product);
}

}  // namespace detail

// The ten-round Philox-4x32 bijection with the paper's multipliers and Weyl
// key increments.
CUSEQ_HOST_DEVICE Philox4 philox4x32_10(Philox4 counter, std::uint32_t key0, std::uint32_t key1) {
  constexpr std::uint32_t kMul0 = 0xD2511F53u, kMul1 = 0xCD9E8D57u;
  constexpr std::uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    std::uint32_t hi0, hi1;
    const std::uint32_t lo0 = detail::mulhilo32(kMul0, counter.v[0], &hi0);
    const std::uint32_t lo1 = detail::mulhilo32(kMul1, counter.v[2], &hi1);
    counter = Philox4{{hi1 ^ counter.v[1] ^ key0, lo1, hi0 ^ counter.v[3] ^ key1, lo0}};
    key0 += kWeyl0;
    key1 += kWeyl1;
  }
  return counter;
}

// A uniform float in [0, 1) from the top 24 bits: every value is exact in float32.
CUSEQ_HOST_DEVICE float uniform_from_bits(std::uint32_t bits) {
  return static_cast<float>(bits >> 8) * (1.0f / 16777216.0f);
}

// The 32 random bits number `index` of the stream (seed, stream): four
// consecutive indices share one Philox call. Used by initializers and masks,
// so that element `index` gets the same bits whoever computes it.
CUSEQ_HOST_DEVICE std::uint32_t philox_bits(std::uint64_t seed, std::uint64_t stream,
                                            std::uint64_t index) {
  const std::uint64_t block = index >> 2;
  const Philox4 counter{{static_cast<std::uint32_t>(block), static_cast<std::uint32_t>(block >> 32),
                         static_cast<std::uint32_t>(stream),
                         static_cast<std::uint32_t>(stream >> 32)}};
  const Philox4 out = philox4x32_10(counter, static_cast<std::uint32_t>(seed),
                                    static_cast<std::uint32_t>(seed >> 32));
  return out.v[index & 3];
}

}  // namespace cuseq
