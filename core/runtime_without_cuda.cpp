// The device runtime of the CPU-only build: every GPU request is a clear error.
#include <cstring>

#include "core/detail/runtime.h"
#include "cuseq/error.h"

namespace cuseq {

bool built_with_cuda() { return false; }

namespace detail {
namespace {

[[noreturn]] void no_cuda(const std::string& where, const std::string& request = "a GPU") {
  fail(where, "asked for ", request, " but cuseq was built without CUDA (CUSEQ_CUDA=OFF); ",
       "rebuild with CUSEQ_CUDA=ON to use a GPU");
}

}  // namespace

int gpu_count() noexcept { return 0; }
std::string gpu_unavailable_reason() { return "cuseq was built without CUDA"; }
void require_gpu(Device device, const std::string& where) { no_cuda(where, device.str()); }

void* gpu_allocate(Device, std::size_t) { no_cuda("Tensor"); }
void gpu_deallocate(Device, void*) noexcept {}
MemoryStats gpu_memory_stats(Device) { no_cuda("memory_stats"); }
void gpu_reset_peak(Device) { no_cuda("reset_peak_memory"); }
void gpu_empty_cache(Device) { no_cuda("empty_cache"); }

void copy_bytes(void* destination, Device destination_device, const void* source,
                Device source_device, std::size_t bytes) {
  if (destination_device.is_cuda() || source_device.is_cuda()) no_cuda("copy");
  if (bytes != 0) std::memcpy(destination, source, bytes);
}

void gpu_memset_zero(void*, Device, std::size_t) { no_cuda("zero"); }
void* gpu_create_stream(Device) { no_cuda("Stream"); }
void gpu_destroy_stream(Device, void*) noexcept {}
void gpu_synchronize_stream(Device, void*) { no_cuda("Stream::synchronize"); }
void gpu_synchronize_device(Device) { no_cuda("synchronize"); }
void gpu_stream_wait(Device, void*, void*) { no_cuda("stream_wait"); }
void* gpu_current_stream(Device) { return nullptr; }
void gpu_set_current_stream(Device, void*) {}

}  // namespace detail
}  // namespace cuseq
