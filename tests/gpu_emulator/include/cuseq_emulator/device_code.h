// Device code of the emulated GPU: CUDA's qualifiers, built-in variables,
// barriers, warp intrinsics, atomics and math functions, for kernels compiled
// as host C++. Each thread of a block is a fiber (scheduler.cpp): a thread
// runs until it reaches a barrier, a warp collective or its end, and the
// threads that may run next are taken in an order shuffled from the schedule
// seed, so code that reads another thread's data without a barrier sees a
// stale value. One fiber runs at a time, so atomics are plain read-modify-writes.
#pragma once

#include <math.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

struct uint3 {
  unsigned x, y, z;
};

struct dim3 {
  unsigned x = 1, y = 1, z = 1;
  constexpr dim3(unsigned vx = 1, unsigned vy = 1, unsigned vz = 1) : x(vx), y(vy), z(vz) {}
  constexpr dim3(uint3 v) : x(v.x), y(v.y), z(v.z) {}
};

#define __host__
#define __device__
#define __global__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __align__(n) alignas(n)

namespace cuseq::emulator {

// Where the running emulated thread is.
struct ThreadCoordinates {
  uint3 thread;
  uint3 block;
  dim3 block_dim;
  dim3 grid_dim;
};
const ThreadCoordinates& coordinates();

void block_barrier();
void grid_barrier();
bool in_cooperative_launch();
// Waits until every lane of `mask` has called, then returns the 32 words the
// lanes of this warp gave (valid until the lane's next collective); reports
// a lane of `mask` that has exited or that calls with another mask.
const std::uint64_t* warp_exchange(unsigned mask, std::uint64_t word);
int lane_id();
// Reading a lane outside the collective's mask is undefined on the device.
void check_lane_in_mask(unsigned mask, int lane, const char* intrinsic);
// The current block's dynamic shared memory (extern __shared__).
void* dynamic_shared_memory();

// Static __shared__ arrays are function-local statics: one copy, used by one
// block at a time, since the blocks of a normal launch run one after another.
// The blocks of a cooperative launch are all resident at once, so there this
// guard stops the kernel with the reason instead of letting blocks share it.
struct StaticSharedGuard {
  StaticSharedGuard();
};

template <class T>
std::uint64_t to_word(T value) {
  static_assert(sizeof(T) <= 8 && std::is_trivially_copyable_v<T>, "shuffle of a large type");
  std::uint64_t word = 0;
  std::memcpy(&word, &value, sizeof(T));
  return word;
}
template <class T>
T from_word(std::uint64_t word) {
  T value;
  std::memcpy(&value, &word, sizeof(T));
  return value;
}

template <class T>
T shuffle_from(unsigned mask, T value, int source, const char* intrinsic) {
  const std::uint64_t* words = warp_exchange(mask, to_word(value));
  check_lane_in_mask(mask, source, intrinsic);
  return from_word<T>(words[source]);
}

}  // namespace cuseq::emulator

#define CUSEQ_EMULATOR_CONCAT_(a, b) a##b
#define CUSEQ_EMULATOR_CONCAT(a, b) CUSEQ_EMULATOR_CONCAT_(a, b)
#define __shared__                                                                      \
  const ::cuseq::emulator::StaticSharedGuard CUSEQ_EMULATOR_CONCAT(cuseq_shared_guard_, \
                                                                   __COUNTER__);        \
  static

#define threadIdx (::cuseq::emulator::coordinates().thread)
#define blockIdx (::cuseq::emulator::coordinates().block)
#define blockDim (::cuseq::emulator::coordinates().block_dim)
#define gridDim (::cuseq::emulator::coordinates().grid_dim)
constexpr int warpSize = 32;

inline void __syncthreads() { ::cuseq::emulator::block_barrier(); }
inline void __syncwarp(unsigned mask = 0xffffffffu) { ::cuseq::emulator::warp_exchange(mask, 0); }
// One fiber runs at a time and every write lands at once: fences have nothing to order.
inline void __threadfence() {}
inline void __threadfence_block() {}

template <class T>
T __shfl_sync(unsigned mask, T value, int source_lane, int width = warpSize) {
  const int lane = ::cuseq::emulator::lane_id();
  const int source = (lane & ~(width - 1)) + (source_lane & (width - 1));
  return ::cuseq::emulator::shuffle_from(mask, value, source, "__shfl_sync");
}
template <class T>
T __shfl_xor_sync(unsigned mask, T value, int lane_mask, int width = warpSize) {
  const int lane = ::cuseq::emulator::lane_id();
  const int source = lane ^ lane_mask;
  const bool inside = source < (lane & ~(width - 1)) + width;
  return ::cuseq::emulator::shuffle_from(mask, value, inside ? source : lane, "__shfl_xor_sync");
}
template <class T>
T __shfl_down_sync(unsigned mask, T value, unsigned delta, int width = warpSize) {
  const int lane = ::cuseq::emulator::lane_id();
  const int source = lane + static_cast<int>(delta);
  const bool inside = source < (lane & ~(width - 1)) + width;
  return ::cuseq::emulator::shuffle_from(mask, value, inside ? source : lane, "__shfl_down_sync");
}
template <class T>
T __shfl_up_sync(unsigned mask, T value, unsigned delta, int width = warpSize) {
  const int lane = ::cuseq::emulator::lane_id();
  const int source = lane - static_cast<int>(delta);
  const bool inside = source >= (lane & ~(width - 1));
  return ::cuseq::emulator::shuffle_from(mask, value, inside ? source : lane, "__shfl_up_sync");
}
inline unsigned __ballot_sync(unsigned mask, int predicate) {
  const std::uint64_t* words = ::cuseq::emulator::warp_exchange(mask, predicate != 0 ? 1 : 0);
  unsigned ballot = 0;
  for (int lane = 0; lane < warpSize; ++lane) {
    if (((mask >> lane) & 1u) != 0 && words[lane] != 0) ballot |= 1u << lane;
  }
  return ballot;
}
inline int __any_sync(unsigned mask, int predicate) { return __ballot_sync(mask, predicate) != 0; }
inline int __all_sync(unsigned mask, int predicate) {
  return __ballot_sync(mask, predicate) == mask;
}
inline unsigned __activemask() { return 0xffffffffu; }

// Atomics: the fiber that runs one cannot be interrupted in it.
template <class T>
T atomicAdd(T* address, T value) {
  const T old = *address;
  *address = old + value;
  return old;
}
template <class T>
T atomicSub(T* address, T value) {
  const T old = *address;
  *address = old - value;
  return old;
}
template <class T>
T atomicMin(T* address, T value) {
  const T old = *address;
  *address = value < old ? value : old;
  return old;
}
template <class T>
T atomicMax(T* address, T value) {
  const T old = *address;
  *address = value > old ? value : old;
  return old;
}
template <class T>
T atomicExch(T* address, T value) {
  const T old = *address;
  *address = value;
  return old;
}
template <class T>
T atomicCAS(T* address, T compare, T value) {
  const T old = *address;
  if (old == compare) *address = value;
  return old;
}

// CUDA's min and max for arithmetic types (fminf/fmaxf for floating point:
// the other operand when one is NaN).
template <class A, class B,
          class = std::enable_if_t<std::is_arithmetic_v<A> && std::is_arithmetic_v<B>>>
inline std::common_type_t<A, B> min(A a, B b) {
  using C = std::common_type_t<A, B>;
  if constexpr (std::is_floating_point_v<C>) {
    return std::fmin(static_cast<C>(a), static_cast<C>(b));
  } else {
    return static_cast<C>(b) < static_cast<C>(a) ? static_cast<C>(b) : static_cast<C>(a);
  }
}
template <class A, class B,
          class = std::enable_if_t<std::is_arithmetic_v<A> && std::is_arithmetic_v<B>>>
inline std::common_type_t<A, B> max(A a, B b) {
  using C = std::common_type_t<A, B>;
  if constexpr (std::is_floating_point_v<C>) {
    return std::fmax(static_cast<C>(a), static_cast<C>(b));
  } else {
    return static_cast<C>(b) > static_cast<C>(a) ? static_cast<C>(b) : static_cast<C>(a);
  }
}

inline float __int_as_float(int bits) {
  return ::cuseq::emulator::from_word<float>(static_cast<std::uint32_t>(bits));
}
inline int __float_as_int(float value) {
  return static_cast<int>(static_cast<std::uint32_t>(::cuseq::emulator::to_word(value)));
}
template <class T>
T __ldg(const T* address) {
  return *address;
}
inline float __expf(float x) { return std::exp(x); }
inline float __logf(float x) { return std::log(x); }
inline float __fdividef(float a, float b) { return a / b; }
inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }
inline double rsqrt(double x) { return 1.0 / std::sqrt(x); }
