// What the emulator's runtime (runtime.cpp) tells its kernel scheduler
// (scheduler.cpp) about the state the runtime API keeps.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>

namespace cuseq::emulator {

// Records `error` as the calling thread's last error (unless cudaSuccess) and returns it.
cudaError_t record(cudaError_t error);
bool is_live_stream(cudaStream_t stream);
// The dynamic shared memory a kernel may ask for (cudaFuncSetAttribute raises it).
std::size_t max_dynamic_shared_bytes(const void* kernel);
// Blocks of `block_size` threads and `dynamic_shared_bytes` that one multiprocessor holds.
int blocks_per_multiprocessor(int block_size, std::size_t dynamic_shared_bytes);

}  // namespace cuseq::emulator
