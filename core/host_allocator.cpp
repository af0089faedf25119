// Host memory: 64-byte aligned (whole cache lines, AVX-512 loads), with the
// same in-use and peak statistics the GPU allocator keeps.
#include "core/detail/host_allocator.h"

#include <sys/sysinfo.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace cuseq::detail {
namespace {

std::atomic<std::size_t> host_in_use{0};
std::atomic<std::size_t> host_peak{0};
constexpr std::size_t kAlignment = 64;

}  // namespace

std::size_t host_memory_capacity() {
  static const std::size_t capacity = [] {
    struct sysinfo info {};
    if (::sysinfo(&info) != 0) return SIZE_MAX;
    return (static_cast<std::size_t>(info.totalram) + info.totalswap) * info.mem_unit;
  }();
  return capacity;
}

void* host_allocate(std::size_t bytes) {
  if (bytes > host_memory_capacity()) throw std::bad_alloc();  // also keeps the rounding exact
  const std::size_t rounded = (bytes + kAlignment - 1) / kAlignment * kAlignment;
  void* pointer = std::aligned_alloc(kAlignment, rounded == 0 ? kAlignment : rounded);
  if (pointer == nullptr) throw std::bad_alloc();
  const std::size_t now = host_in_use.fetch_add(bytes) + bytes;
  std::size_t peak = host_peak.load();
  while (now > peak && !host_peak.compare_exchange_weak(peak, now)) {
  }
  return pointer;
}

void host_deallocate(void* pointer, std::size_t bytes) noexcept {
  std::free(pointer);
  host_in_use.fetch_sub(bytes);
}

MemoryStats host_memory_stats() {
  MemoryStats stats;
  stats.bytes_in_use = host_in_use.load();
  stats.peak_bytes_in_use = host_peak.load();
  return stats;
}

void host_reset_peak() { host_peak.store(host_in_use.load()); }

}  // namespace cuseq::detail
