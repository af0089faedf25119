// The device runtime the core sits on: memory, copies and streams. The CUDA
// build links runtime_cuda.cpp, the CPU-only build runtime_without_cuda.cpp,
// so nothing above this line tests how the library was built.
#pragma once

#include <cstddef>
#include <string>

#include "cuseq/device.h"
#include "cuseq/memory.h"

namespace cuseq::detail {

int gpu_count() noexcept;
std::string gpu_unavailable_reason();
// Throws a clear cuseq::Error unless `device` is a usable GPU.
void require_gpu(Device device, const std::string& where);

// Memory from the caching allocator, ordered on the device's current stream.
void* gpu_allocate(Device device, std::size_t bytes);
void gpu_deallocate(Device device, void* pointer) noexcept;
MemoryStats gpu_memory_stats(Device device);
void gpu_reset_peak(Device device);
void gpu_empty_cache(Device device);

// Copies between any two devices; returns when the bytes are readable on the host
// for device-to-host copies.
void copy_bytes(void* destination, Device destination_device, const void* source,
                Device source_device, std::size_t bytes);
void gpu_memset_zero(void* pointer, Device device, std::size_t bytes);

void* gpu_create_stream(Device device);
void gpu_destroy_stream(Device device, void* stream) noexcept;
void gpu_synchronize_stream(Device device, void* stream);
void gpu_synchronize_device(Device device);
// `waiting` waits (on the GPU) for the work queued on `signalling` so far.
void gpu_stream_wait(Device device, void* waiting, void* signalling);
// The thread's current stream of `device`, and its replacement (for StreamGuard).
void* gpu_current_stream(Device device);
void gpu_set_current_stream(Device device, void* stream);

}  // namespace cuseq::detail
