// How the CPU twins walk their data: an OpenMP loop over independent indices.
#pragma once

#include <cstdint>

#include "kernels/backend.h"

namespace cuseq::detail {

// Below this many elements threads cost more than they save.
constexpr std::int64_t kParallelThreshold = 1 << 14;
// A recurrent cell's step costs tens of cycles per (sample, unit) (four gates'
// exp and tanh), so its loop pays for the second thread 4x sooner: on the
// 2-core VM an LSTM step of [32, 256] ran 1.2x as fast with two threads.
constexpr std::int64_t kCellParallelThreshold = 1 << 12;

template <class Body>
void for_each_index(Cpu, std::int64_t count, const Body& body) {
#pragma omp parallel for schedule(static) if (count >= kParallelThreshold)
  for (std::int64_t i = 0; i < count; ++i) body(i);
}

}  // namespace cuseq::detail
