#pragma once

#include <cstddef>

#include "cuseq/memory.h"

namespace cuseq::detail {

// Throws std::bad_alloc when the memory cannot be had, at once for more bytes
// than the machine's memory and swap (Linux would otherwise promise them and
// kill the process when they are touched).
void* host_allocate(std::size_t bytes);
void host_deallocate(void* pointer, std::size_t bytes) noexcept;
MemoryStats host_memory_stats();
// The machine's memory plus swap, in bytes.
std::size_t host_memory_capacity();
void host_reset_peak();
// Frees the cached blocks (blocks of 64 KiB and more are kept when freed).
void host_empty_cache();

}  // namespace cuseq::detail
