// How the CPU twins walk their data: [0, count) cut into one contiguous range
// per thread of cuseq's pool (core/detail/thread_pool.h), each range walked
// by a loop compiled for several instruction sets (cpu_isa.h).
#pragma once

#include <algorithm>
#include <cstdint>

#include "core/detail/thread_pool.h"
#include "kernels/backend.h"
#include "kernels/cpu_isa.h"

namespace cuseq::detail {

// Below this many elements threads cost more than they save.
constexpr std::int64_t kParallelThreshold = 1 << 14;
// A recurrent cell's step costs tens of cycles per (sample, unit) (four gates'
// exp and tanh), so its loop pays for the second thread 4x sooner: on the
// 2-core VM an LSTM step of [32, 256] ran 1.2x as fast with two threads.
constexpr std::int64_t kCellParallelThreshold = 1 << 12;

// Calls range(begin, end) on contiguous ranges that cover [0, count) once:
// one range per thread when `worth_threads`, else one range on this thread.
// The ranges depend only on count and the thread count, never on timing.
template <class Range>
void for_each_range(std::int64_t count, bool worth_threads, const Range& range) {
  if (count <= 0) return;
  const std::int64_t threads = worth_threads ? std::min<std::int64_t>(parallel_width(), count) : 1;
  if (threads == 1) return range(std::int64_t{0}, count);
  const std::int64_t per_range = (count + threads - 1) / threads;
  parallel_tasks((count + per_range - 1) / per_range, [&](std::int64_t r) {
    range(r * per_range, std::min(count, (r + 1) * per_range));
  });
}

template <class Body>
void for_each_index(Cpu, std::int64_t count, const Body& body) {
  for_each_range(count, count >= kParallelThreshold, [&](std::int64_t begin, std::int64_t end) {
    run_vectorized([&] {
      // A private copy: the compiler then knows the stores do not move its pointers.
      const Body local = body;
      for (std::int64_t i = begin; i < end; ++i) local(i);
    });
  });
}

}  // namespace cuseq::detail
