// The emulated device: a small GPU, so that grids stay small, several blocks
// share the work and the persistent kernels' shared-memory limits are reached
// at small sizes.
#pragma once

#include <cstddef>

namespace cuseq::emulator {

constexpr int kMultiprocessors = 4;
constexpr std::size_t kSharedBytesPerBlock = 48 << 10;
constexpr std::size_t kSharedBytesPerMultiprocessor = 64 << 10;
constexpr int kMaxThreadsPerBlock = 1024;
constexpr int kMaxThreadsPerMultiprocessor = 2048;
constexpr int kMaxBlocksPerMultiprocessor = 16;
constexpr unsigned kMaxBlockDim[3] = {1024, 1024, 64};
constexpr unsigned kMaxGridDim[3] = {2147483647u, 65535u, 65535u};
constexpr int kComputeCapabilityMajor = 8, kComputeCapabilityMinor = 0;
constexpr std::size_t kGlobalMemoryBytes = std::size_t{4} << 30;

}  // namespace cuseq::emulator
