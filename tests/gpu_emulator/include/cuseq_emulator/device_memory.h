// Device memory of the emulated GPU as the other emulated libraries (cuBLAS,
// cub) and cuseq's caching allocator see it: live allocations with the bytes
// that may be used in each, checked before a library call touches them.
#pragma once

#include <cstddef>
#include <string>

namespace cuseq::emulator {

// Empty when [pointer, pointer + bytes) lies in the usable bytes of one live
// device allocation; else why not.
std::string device_range_problem(const void* pointer, std::size_t bytes);

// Narrows a live allocation to its first `usable` bytes (0: none, as for a
// block that went back to a cache): the rest is refused by copies and library
// calls and, under AddressSanitizer, poisoned for kernels too.
void set_usable_bytes(const void* allocation, std::size_t usable);

// Prints "cuseq GPU emulator: <message>" on stderr.
void report(const std::string& message);

}  // namespace cuseq::emulator
