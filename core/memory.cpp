#include "cuseq/memory.h"

#include "core/detail/host_allocator.h"
#include "core/detail/runtime.h"

namespace cuseq {

MemoryStats memory_stats(Device device) {
  return device.is_cpu() ? detail::host_memory_stats() : detail::gpu_memory_stats(device);
}

void reset_peak_memory(Device device) {
  if (device.is_cpu()) {
    detail::host_reset_peak();
  } else {
    detail::gpu_reset_peak(device);
  }
}

void empty_cache(Device device) {
  if (device.is_cpu()) {
    detail::host_empty_cache();
  } else {
    detail::gpu_empty_cache(device);
  }
}

}  // namespace cuseq
