// Seeds and counters for cuseq's random numbers.
#pragma once

#include <cstdint>

namespace cuseq {

// A reproducible source of random streams: each call to next_stream() names a
// fresh Philox stream (seed, counter). Initializers and dropout layers take
// their streams from a Generator, so a seeded program draws the same numbers
// on the CPU and the GPU, run after run. Saving the counter in a checkpoint
// resumes the sequence exactly.
class Generator {
 public:
  explicit Generator(std::uint64_t seed = 0x5eed) : seed_(seed) {}

  struct Stream {
    std::uint64_t seed;
    std::uint64_t stream;
  };
  Stream next_stream() { return Stream{seed_, counter_++}; }

  std::uint64_t seed() const { return seed_; }
  std::uint64_t counter() const { return counter_; }
  void set_counter(std::uint64_t counter) { counter_ = counter; }

 private:
  std::uint64_t seed_;
  std::uint64_t counter_ = 0;
};

}  // namespace cuseq
