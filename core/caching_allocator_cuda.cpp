#include <cuda_runtime.h>

#include <algorithm>

#include "core/detail/caching_allocator.h"
#include "core/detail/cuda_check.h"
#include "cuseq/error.h"
#if defined(CUSEQ_EMULATED_GPU)
#include "cuseq_emulator/device_memory.h"
#endif

namespace cuseq::detail {
namespace {

constexpr std::size_t kSmallGranule = 512;
constexpr std::size_t kLargeThreshold = 1 << 20;
constexpr std::size_t kLargeGranule = 2 << 20;

// On the emulated GPU only the bytes a block was handed out for may be
// touched: a kernel, copy or GEMM that reaches into the rounding, or into a
// block back in the cache, is reported there (on a GPU it goes unnoticed).
void mark_usable(void* pointer, std::size_t bytes) {
#if defined(CUSEQ_EMULATED_GPU)
  emulator::set_usable_bytes(pointer, bytes);
#else
  (void)pointer, (void)bytes;
#endif
}

}  // namespace

std::size_t CachingAllocator::round_size(std::size_t bytes) {
  const std::size_t granule = bytes < kLargeThreshold ? kSmallGranule : kLargeGranule;
  return std::max<std::size_t>(granule, (bytes + granule - 1) / granule * granule);
}

void* CachingAllocator::allocate(std::size_t bytes, void* stream) {
  const std::size_t size = round_size(bytes);
  std::lock_guard<std::mutex> lock(mutex_);
  void* pointer = nullptr;
  std::size_t block_size = size;
  // Reuse a cached block of this stream unless it would waste over half of itself.
  const auto fit = free_.lower_bound({stream, size});
  if (fit != free_.end() && fit->first.first == stream && fit->first.second <= 2 * size) {
    pointer = fit->second;
    block_size = fit->first.second;
    stats_.bytes_cached -= block_size;
    free_.erase(fit);
  } else {
    pointer = device_malloc(size);
  }
  live_[pointer] = Block{block_size, stream};
  mark_usable(pointer, bytes);
  stats_.bytes_in_use += block_size;
  stats_.peak_bytes_in_use = std::max(stats_.peak_bytes_in_use, stats_.bytes_in_use);
  return pointer;
}

void CachingAllocator::deallocate(void* pointer) noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = live_.find(pointer);
  if (found == live_.end()) return;
  const Block block = found->second;
  live_.erase(found);
  mark_usable(pointer, 0);
  stats_.bytes_in_use -= block.size;
  stats_.bytes_cached += block.size;
  free_.emplace(std::make_pair(block.stream, block.size), pointer);
}

void* CachingAllocator::device_malloc(std::size_t bytes) {
  CUSEQ_CUDA_CHECK(cudaSetDevice(device_));
  void* pointer = nullptr;
  cudaError_t status = cudaMalloc(&pointer, bytes);
  if (status == cudaErrorMemoryAllocation) {
    // Out of memory: give the cache back to the driver and try once more.
    cudaGetLastError();
    release_cached_locked();
    status = cudaMalloc(&pointer, bytes);
  }
  if (status != cudaSuccess) {
    cudaGetLastError();
    fail("CachingAllocator", "cudaMalloc of ", bytes, " bytes on cuda:", device_, " failed (",
         cudaGetErrorString(status), "); in use: ", stats_.bytes_in_use,
         " bytes, peak: ", stats_.peak_bytes_in_use, " bytes");
  }
  ++stats_.device_malloc_calls;
  return pointer;
}

void CachingAllocator::release_cached_locked() {
  if (free_.empty()) return;
  // Blocks may still be read by queued kernels: wait before freeing them.
  CUSEQ_CUDA_CHECK(cudaDeviceSynchronize());
  for (const auto& entry : free_) {
    CUSEQ_CUDA_CHECK(cudaFree(entry.second));
    ++stats_.device_free_calls;
  }
  free_.clear();
  stats_.bytes_cached = 0;
}

MemoryStats CachingAllocator::stats() {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

void CachingAllocator::reset_peak() {
  std::lock_guard<std::mutex> lock(mutex_);
  stats_.peak_bytes_in_use = stats_.bytes_in_use;
}

void CachingAllocator::empty_cache() {
  std::lock_guard<std::mutex> lock(mutex_);
  CUSEQ_CUDA_CHECK(cudaSetDevice(device_));
  release_cached_locked();
}

}  // namespace cuseq::detail
