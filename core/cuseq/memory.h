// GPU memory statistics and control of the caching allocator.
#pragma once

#include <cstddef>

#include "cuseq/device.h"
#include "cuseq/export.h"

namespace cuseq {

struct MemoryStats {
  std::size_t bytes_in_use = 0;  // handed out to live tensors
  std::size_t peak_bytes_in_use = 0;
  std::size_t bytes_cached = 0;         // freed by tensors, kept for reuse
  std::size_t device_malloc_calls = 0;  // cudaMalloc calls so far
  std::size_t device_free_calls = 0;
};

// Statistics of the allocator that serves `device`; for the CPU
// bytes_in_use, peak_bytes_in_use and bytes_cached are tracked.
CUSEQ_API MemoryStats memory_stats(Device device);
// Resets peak_bytes_in_use to the current bytes_in_use.
CUSEQ_API void reset_peak_memory(Device device);
// Returns all cached, unused blocks to the driver (GPU) or the C library (CPU).
CUSEQ_API void empty_cache(Device device);

}  // namespace cuseq
