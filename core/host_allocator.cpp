// Host memory: 64-byte aligned (whole cache lines, AVX-512 loads), with the
// same in-use and peak statistics the GPU allocator keeps. Blocks of 64 KiB
// and more are cached when freed and handed out again: glibc serves them
// with mmap and returns them with munmap, so without the cache every training
// step faults in (and the kernel zeroes) fresh pages for its activations,
// gradients and tapes, ~7% of a small model's epoch.
#include "core/detail/host_allocator.h"

#include <sys/sysinfo.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define CUSEQ_HOST_CACHE_POISON 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CUSEQ_HOST_CACHE_POISON 1
#endif
#endif
#if defined(CUSEQ_HOST_CACHE_POISON)
#include <sanitizer/asan_interface.h>
#endif

namespace cuseq::detail {
namespace {

std::atomic<std::size_t> host_in_use{0};
std::atomic<std::size_t> host_peak{0};
constexpr std::size_t kAlignment = 64;
constexpr std::size_t kSmallestCached = std::size_t{64} << 10;

// AddressSanitizer still reports a read or write into a cached block, or into
// the rounding past a tensor's bytes, as it would after free().
void mark_usable(void* block, std::size_t usable, std::size_t block_bytes) {
#if defined(CUSEQ_HOST_CACHE_POISON)
  ASAN_POISON_MEMORY_REGION(block, block_bytes);
  ASAN_UNPOISON_MEMORY_REGION(block, usable);
#else
  (void)block, (void)usable, (void)block_bytes;
#endif
}

// Size classes of at most 12.5% rounding: eight per power of two. The class
// is a function of the requested bytes alone, so a freed block goes back to
// the list it came from without a table of live blocks.
std::size_t size_class(std::size_t bytes) {
  std::size_t power = kSmallestCached;
  while (power * 2 <= bytes) power *= 2;
  const std::size_t step = power / 8;
  return (bytes + step - 1) / step * step;
}

class HostCache {
 public:
  // A cached block of `bytes`' class, or null.
  void* take(std::size_t block_bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = free_.find(block_bytes);
    if (found == free_.end() || found->second.empty()) return nullptr;
    void* block = found->second.back();
    found->second.pop_back();
    cached_ -= block_bytes;
    return block;
  }
  // Keeps the block unless the cache would grow past its limit; false then.
  bool keep(void* block, std::size_t block_bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (cached_ + block_bytes > limit()) return false;
    free_[block_bytes].push_back(block);
    mark_usable(block, 0, block_bytes);  // before another thread can take it
    cached_ += block_bytes;
    return true;
  }
  void release() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [bytes, blocks] : free_) {
      for (void* block : blocks) {
        mark_usable(block, bytes, bytes);
        std::free(block);
      }
    }
    free_.clear();
    cached_ = 0;
  }
  std::size_t cached() {
    std::lock_guard<std::mutex> lock(mutex_);
    return cached_;
  }

 private:
  // An eighth of the machine's memory, at most 2 GiB: a training step's
  // buffers fit many times over, a one-off giant buffer is returned.
  static std::size_t limit() {
    return std::min<std::size_t>(host_memory_capacity() / 8, std::size_t{2} << 30);
  }

  std::mutex mutex_;
  std::unordered_map<std::size_t, std::vector<void*>> free_;
  std::size_t cached_ = 0;
};

// Never destroyed: tensors with static storage may be freed after main().
HostCache& host_cache() {
  static HostCache* cache = new HostCache();
  return *cache;
}

std::size_t block_bytes_for(std::size_t bytes) {
  if (bytes >= kSmallestCached) return size_class(bytes);
  const std::size_t rounded = (bytes + kAlignment - 1) / kAlignment * kAlignment;
  return rounded == 0 ? kAlignment : rounded;
}

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
  const std::size_t block_bytes = block_bytes_for(bytes);
  void* pointer = bytes >= kSmallestCached ? host_cache().take(block_bytes) : nullptr;
  if (pointer == nullptr) pointer = std::aligned_alloc(kAlignment, block_bytes);
  if (pointer == nullptr) {
    host_cache().release();  // out of memory: give the cache back and try once more
    pointer = std::aligned_alloc(kAlignment, block_bytes);
    if (pointer == nullptr) throw std::bad_alloc();
  }
  mark_usable(pointer, bytes, block_bytes);
  const std::size_t now = host_in_use.fetch_add(bytes) + bytes;
  std::size_t peak = host_peak.load();
  while (now > peak && !host_peak.compare_exchange_weak(peak, now)) {
  }
  return pointer;
}

void host_deallocate(void* pointer, std::size_t bytes) noexcept {
  host_in_use.fetch_sub(bytes);
  if (pointer == nullptr) return;
  const std::size_t block_bytes = block_bytes_for(bytes);
  bool kept = false;
  if (bytes >= kSmallestCached) {
    try {
      kept = host_cache().keep(pointer, block_bytes);
    } catch (const std::bad_alloc&) {  // no room for the list entry: free the block
    }
  }
  if (!kept) std::free(pointer);
}

MemoryStats host_memory_stats() {
  MemoryStats stats;
  stats.bytes_in_use = host_in_use.load();
  stats.peak_bytes_in_use = host_peak.load();
  stats.bytes_cached = host_cache().cached();
  return stats;
}

void host_reset_peak() { host_peak.store(host_in_use.load()); }

void host_empty_cache() { host_cache().release(); }

}  // namespace cuseq::detail
