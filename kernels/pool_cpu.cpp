// The CPU twins of the pooling kernels: pool.h's bodies walked with threads over rows
// (batch x steps) and, inside a row, tiles of 64 channels (a few SIMD
// registers; wide tiles read a long window's rows fewer times), then of 16,
// then the channels left over one at a time.
#include "kernels/parallel_for_cpu.h"
#include "kernels/pool.h"

namespace cuseq::detail {

// Threads only when rows x channels x work (window taps per element) is worth
// it: a global pooling has few outputs but long windows.
template <class Body>
void for_each_row_channel(Cpu, std::int64_t rows, std::int64_t channels, std::int64_t work,
                          const Body& body) {
  for_each_range(rows, rows * channels * work >= kParallelThreshold,
                 [&](std::int64_t begin, std::int64_t end) {
                   run_vectorized([&] {
                     // A private copy: the compiler then knows the stores do not move its pointers.
                     const Body local = body;
                     for (std::int64_t row = begin; row < end; ++row) {
                       std::int64_t c = 0;
                       for (; c + 64 <= channels; c += 64) local.template tile<64>(row, c);
                       for (; c + 16 <= channels; c += 16) local.template tile<16>(row, c);
                       for (; c < channels; ++c) local.template tile<1>(row, c);
                     }
                   });
                 });
}

// After the walker: PoolKernels' calls find it here.
template struct PoolKernels<Cpu>;

}  // namespace cuseq::detail
