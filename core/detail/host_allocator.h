#pragma once

#include <cstddef>

#include "cuseq/memory.h"

namespace cuseq::detail {

void* host_allocate(std::size_t bytes);
void host_deallocate(void* pointer, std::size_t bytes) noexcept;
MemoryStats host_memory_stats();
void host_reset_peak();

}  // namespace cuseq::detail
