// A stream-ordered caching allocator for one GPU: freed blocks are kept and
// handed out again on the same stream, so a warm training step never calls
// cudaMalloc (whose implicit device synchronisation would stall the pipeline).
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "cuseq/memory.h"

namespace cuseq::detail {

class CachingAllocator {
 public:
  explicit CachingAllocator(int device) : device_(device) {}
  ~CachingAllocator() = default;  // the driver reclaims memory at exit
  CachingAllocator(const CachingAllocator&) = delete;
  CachingAllocator& operator=(const CachingAllocator&) = delete;

  void* allocate(std::size_t bytes, void* stream);
  void deallocate(void* pointer) noexcept;
  MemoryStats stats();
  void reset_peak();
  void empty_cache();

  // Sizes are rounded so that similar requests share blocks.
  static std::size_t round_size(std::size_t bytes);

 private:
  struct Block {
    std::size_t size;
    void* stream;
  };
  void* device_malloc(std::size_t bytes);
  void release_cached_locked();

  int device_;
  std::mutex mutex_;
  std::unordered_map<void*, Block> live_;
  // Free blocks by (stream, size): a lower_bound finds the smallest fit.
  std::multimap<std::pair<void*, std::size_t>, void*> free_;
  MemoryStats stats_;
};

}  // namespace cuseq::detail
