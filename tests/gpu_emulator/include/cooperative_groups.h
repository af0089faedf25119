// cooperative_groups for the emulated GPU: the grid and the block of the
// running thread. grid.sync() needs a cooperative launch, as on the device.
#pragma once

#include <cuda_runtime.h>

namespace cooperative_groups {

class grid_group {
 public:
  void sync() const { ::cuseq::emulator::grid_barrier(); }
  bool is_valid() const { return ::cuseq::emulator::in_cooperative_launch(); }
  unsigned long long size() const {
    const dim3 g = gridDim, b = blockDim;
    return 1ULL * g.x * g.y * g.z * b.x * b.y * b.z;
  }
};

class thread_block {
 public:
  void sync() const { ::cuseq::emulator::block_barrier(); }
  dim3 group_index() const { return blockIdx; }
  dim3 thread_index() const { return threadIdx; }
  unsigned size() const {
    const dim3 b = blockDim;
    return b.x * b.y * b.z;
  }
};

inline grid_group this_grid() { return {}; }
inline thread_block this_thread_block() { return {}; }
inline void sync(const grid_group& group) { group.sync(); }
inline void sync(const thread_block& group) { group.sync(); }

}  // namespace cooperative_groups
