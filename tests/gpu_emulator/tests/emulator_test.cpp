// The emulated GPU's own tests: it must fail kernels the device would fail,
// by their results or with a report, and run correct ones as the device does.
// Each kernel here is a small CUDA kernel written as for nvcc.
#include <cooperative_groups.h>
#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <vector>

#include "cuseq_emulator/launch.h"
#include "kernels/kernel_launch.cuh"

#if defined(__SANITIZE_ADDRESS__)
#define EMULATOR_TEST_ASAN 1
#endif

namespace {

using cuseq::emulator::launch;
using cuseq::emulator::LaunchConfig;

LaunchConfig shape(dim3 grid, dim3 block, std::size_t shared = 0, bool cooperative = false) {
  return {nullptr, grid, block, shared, nullptr, cooperative};
}

// Device memory holding `values`, freed with the object.
template <class T>
class DeviceVector {
 public:
  explicit DeviceVector(const std::vector<T>& values) : size_(values.size()) {
    EXPECT_EQ(cudaMalloc(&data_, size_ * sizeof(T)), cudaSuccess);
    EXPECT_EQ(cudaMemcpy(data_, values.data(), size_ * sizeof(T), cudaMemcpyHostToDevice),
              cudaSuccess);
  }
  explicit DeviceVector(std::size_t size) : DeviceVector(std::vector<T>(size, T(0))) {}
  ~DeviceVector() { cudaFree(data_); }
  DeviceVector(const DeviceVector&) = delete;
  DeviceVector& operator=(const DeviceVector&) = delete;
  T* get() const { return data_; }
  std::vector<T> host() const {
    std::vector<T> values(size_);
    EXPECT_EQ(cudaMemcpy(values.data(), data_, size_ * sizeof(T), cudaMemcpyDeviceToHost),
              cudaSuccess);
    return values;
  }

 private:
  std::size_t size_;
  T* data_ = nullptr;
};

constexpr int kBlock = 64;

// Thread t reads what thread t - 1 wrote to shared memory. In thread order
// (0, 1, 2, ...) the read would follow the write even without the barrier.
__global__ void read_left_neighbour(int round, bool with_barrier, int* out) {
  __shared__ int values[kBlock];
  const int t = threadIdx.x;
  values[t] = round * 1000 + t;
  if (with_barrier) __syncthreads();
  out[t] = t == 0 ? -1 : values[t - 1];
}

TEST(Emulator, MissingSyncthreadsGivesWrongResultsUnderTheShuffledSchedule) {
  DeviceVector<int> out(kBlock);
  for (int round = 1; round <= 3; ++round) {
    ASSERT_EQ(launch(read_left_neighbour, shape(1, kBlock), round, true, out.get()), cudaSuccess);
    const std::vector<int> with_barrier = out.host();
    for (int t = 1; t < kBlock; ++t) ASSERT_EQ(with_barrier[t], round * 1000 + t - 1);
  }
  // Without the barrier some thread reads before its neighbour wrote: the
  // shuffled order makes the chance that none does 1 / 64!.
  ASSERT_EQ(launch(read_left_neighbour, shape(1, kBlock), 4, false, out.get()), cudaSuccess);
  const std::vector<int> without = out.host();
  int stale = 0;
  for (int t = 1; t < kBlock; ++t) stale += without[t] != 4000 + t - 1;
  EXPECT_GT(stale, 0);
}

__global__ void write_dynamic_shared(int count, int* out) {
  CUSEQ_DYNAMIC_SHARED(int, values);
  for (int i = threadIdx.x; i <= count; i += blockDim.x) values[i] = i;  // one past the end
  __syncthreads();
  if (threadIdx.x == 0) out[0] = values[0];
}

TEST(Emulator, DynamicSharedMemoryOverrunIsReported) {
  DeviceVector<int> out(1);
  const int count = 100;
#if defined(EMULATOR_TEST_ASAN)
  EXPECT_DEATH(launch(write_dynamic_shared, shape(2, 32, count * sizeof(int)), count, out.get()),
               "use-after-poison");
#else
  EXPECT_EQ(launch(write_dynamic_shared, shape(2, 32, count * sizeof(int)), count, out.get()),
            cudaErrorLaunchFailure);
#endif
  EXPECT_EQ(launch(write_dynamic_shared, shape(2, 32, (count + 1) * sizeof(int)), count, out.get()),
            cudaSuccess);
}

// Used only where AddressSanitizer can see static shared memory.
[[maybe_unused]] __global__ void overrun_static_shared(int count, int* out) {
  __shared__ float values[kBlock];
  float* const row = values;  // through a pointer, as most overruns are
  for (int i = threadIdx.x; i <= count; i += blockDim.x) row[i] = 1.0f;
  __syncthreads();
  if (threadIdx.x == 0) out[0] = static_cast<int>(values[0]);
}

TEST(Emulator, StaticSharedMemoryOverrunIsReportedByTheSanitizers) {
#if defined(EMULATOR_TEST_ASAN)
  DeviceVector<int> out(1);
  EXPECT_EQ(launch(overrun_static_shared, shape(1, 32), kBlock - 1, out.get()), cudaSuccess);
  // UndefinedBehaviorSanitizer's object-size check, or AddressSanitizer's redzone.
  EXPECT_DEATH(launch(overrun_static_shared, shape(1, 32), kBlock, out.get()),
               "insufficient space|global-buffer-overflow");
#else
  GTEST_SKIP() << "static shared arrays are checked by AddressSanitizer (CUSEQ_SANITIZE=ON)";
#endif
}

// Every lane's value summed by a butterfly of shuffles; `lane_error` moves
// the lane each step reads from.
__global__ void warp_sum(int lane_error, float* out) {
  float value = static_cast<float>(threadIdx.x + 1);
  for (int offset = 16; offset > 0; offset /= 2) {
    value += __shfl_xor_sync(0xffffffffu, value, offset - lane_error);
  }
  out[threadIdx.x] = value;
}

TEST(Emulator, ShuffleButterflySumsTheWarpAndAWrongLaneDoesNot) {
  DeviceVector<float> out(32);
  ASSERT_EQ(launch(warp_sum, shape(1, 32), 0, out.get()), cudaSuccess);
  for (const float sum : out.host()) EXPECT_EQ(sum, 32.0f * 33.0f / 2.0f);
  ASSERT_EQ(launch(warp_sum, shape(1, 32), 1, out.get()), cudaSuccess);
  int wrong = 0;
  for (const float sum : out.host()) wrong += sum != 32.0f * 33.0f / 2.0f;
  EXPECT_GT(wrong, 0);
}

__global__ void shuffle_outside_mask(float* out) {
  out[threadIdx.x] = __shfl_sync(0x0000ffffu, 1.0f, 20);  // lane 20 is not in the mask
}

__global__ void shuffle_with_returned_lane(float* out) {
  if (threadIdx.x >= 16) return;
  out[threadIdx.x] = __shfl_xor_sync(0xffffffffu, 1.0f, 1);
}

TEST(Emulator, UndefinedWarpCollectivesAreReported) {
  DeviceVector<float> out(32);
  EXPECT_EQ(launch(shuffle_outside_mask, shape(1, 16), out.get()), cudaErrorLaunchFailure);
  EXPECT_EQ(launch(shuffle_with_returned_lane, shape(1, 32), out.get()), cudaErrorLaunchFailure);
  EXPECT_EQ(cudaGetLastError(), cudaErrorLaunchFailure);
  EXPECT_EQ(cudaGetLastError(), cudaSuccess);
}

__global__ void ballot_of_odd_lanes(unsigned* out) {
  out[threadIdx.x] = __ballot_sync(0xffffffffu, threadIdx.x % 2);
}

TEST(Emulator, BallotCollectsEveryLane) {
  DeviceVector<unsigned> out(64);
  ASSERT_EQ(launch(ballot_of_odd_lanes, shape(1, 64), out.get()), cudaSuccess);
  for (const unsigned ballot : out.host()) EXPECT_EQ(ballot, 0xAAAAAAAAu);
}

// Block b writes its slot, then (after the grid barrier, when asked) reads
// the slot of block b + 1.
__global__ void exchange_between_blocks(bool with_grid_sync, int* slots, int* out) {
  namespace cg = cooperative_groups;
  if (threadIdx.x == 0) slots[blockIdx.x] = 100 + static_cast<int>(blockIdx.x);
  if (with_grid_sync) cg::this_grid().sync();
  if (threadIdx.x == blockDim.x - 1) out[blockIdx.x] = slots[(blockIdx.x + 1) % gridDim.x];
}

TEST(Emulator, GridSyncOrdersWritesAcrossTheBlocksOfACooperativeLaunch) {
  constexpr int kBlocks = 4;
  DeviceVector<int> slots(kBlocks), out(kBlocks);
  ASSERT_EQ(
      launch(exchange_between_blocks, shape(kBlocks, 128, 0, true), true, slots.get(), out.get()),
      cudaSuccess);
  const std::vector<int> ordered = out.host();
  for (int b = 0; b < kBlocks; ++b) EXPECT_EQ(ordered[b], 100 + (b + 1) % kBlocks);
  // Without it, the resident blocks' threads interleave: some read first.
  bool stale = false;
  for (int attempt = 0; attempt < 8 && !stale; ++attempt) {
    DeviceVector<int> fresh_slots(kBlocks), fresh_out(kBlocks);
    ASSERT_EQ(launch(exchange_between_blocks, shape(kBlocks, 128, 0, true), false,
                     fresh_slots.get(), fresh_out.get()),
              cudaSuccess);
    const std::vector<int> unordered = fresh_out.host();
    for (int b = 0; b < kBlocks; ++b) stale = stale || unordered[b] != 100 + (b + 1) % kBlocks;
  }
  EXPECT_TRUE(stale);
}

TEST(Emulator, GridSyncNeedsACooperativeLaunchThatFits) {
  DeviceVector<int> slots(4), out(4);
  EXPECT_EQ(launch(exchange_between_blocks, shape(4, 128), true, slots.get(), out.get()),
            cudaErrorLaunchFailure);
  // 4 multiprocessors of 2048 threads: 64 blocks of 1024 threads cannot all be resident.
  DeviceVector<int> many(64);
  EXPECT_EQ(launch(exchange_between_blocks, shape(64, 1024, 0, true), true, many.get(), many.get()),
            cudaErrorCooperativeLaunchTooLarge);
  EXPECT_EQ(cudaGetLastError(), cudaErrorCooperativeLaunchTooLarge);
}

TEST(Emulator, StaticSharedMemoryInACooperativeKernelIsRefused) {
  DeviceVector<int> out(kBlock);
  EXPECT_EQ(launch(read_left_neighbour, shape(2, kBlock, 0, true), 1, true, out.get()),
            cudaErrorLaunchFailure);
}

__global__ void divergent_barriers(int* out) {
  if (threadIdx.x < 16) {
    __syncwarp();
  } else {
    __syncthreads();
  }
  out[threadIdx.x] = 1;
}

TEST(Emulator, ThreadsWaitingAtDifferentBarriersAreADeadlock) {
  DeviceVector<int> out(32);
  EXPECT_EQ(launch(divergent_barriers, shape(1, 32), out.get()), cudaErrorLaunchFailure);
}

__global__ void count_with_atomics(int* counter, unsigned long long* smallest) {
  atomicAdd(counter, 1);
  atomicMin(smallest, static_cast<unsigned long long>(blockIdx.x * blockDim.x + threadIdx.x + 5));
}

TEST(Emulator, AtomicsSeeEveryThread) {
  DeviceVector<int> counter(1);
  DeviceVector<unsigned long long> smallest(std::vector<unsigned long long>{~0ULL});
  ASSERT_EQ(
      launch(count_with_atomics, shape(dim3(3, 2), dim3(32, 4)), counter.get(), smallest.get()),
      cudaSuccess);
  EXPECT_EQ(counter.host()[0], 3 * 2 * 32 * 4);
  EXPECT_EQ(smallest.host()[0], 5u);
}

TEST(Emulator, LaunchConfigurationErrorsAreReturnedBeforeAnythingRuns) {
  DeviceVector<int> counter(1);
  DeviceVector<unsigned long long> smallest(1);
  EXPECT_EQ(launch(count_with_atomics, shape(1, 2048), counter.get(), smallest.get()),
            cudaErrorInvalidConfiguration);
  EXPECT_EQ(launch(count_with_atomics, shape(0, 32), counter.get(), smallest.get()),
            cudaErrorInvalidConfiguration);
  EXPECT_EQ(launch(count_with_atomics, shape(1, 32, 64 << 10), counter.get(), smallest.get()),
            cudaErrorLaunchOutOfResources);
  EXPECT_EQ(counter.host()[0], 0);
}

TEST(Emulator, DeviceMemoryStartsAsNaNAndCopiesStayInsideAllocations) {
  float* device = nullptr;
  ASSERT_EQ(cudaMalloc(&device, 4 * sizeof(float)), cudaSuccess);
  std::vector<float> host(5, 0.0f);
  ASSERT_EQ(cudaMemcpy(host.data(), device, 4 * sizeof(float), cudaMemcpyDeviceToHost),
            cudaSuccess);
  EXPECT_TRUE(std::isnan(host[0]));
  EXPECT_EQ(cudaMemcpy(host.data(), device, 5 * sizeof(float), cudaMemcpyDeviceToHost),
            cudaErrorInvalidValue);
  EXPECT_EQ(cudaMemcpy(device + 1, host.data(), 4 * sizeof(float), cudaMemcpyHostToDevice),
            cudaErrorInvalidValue);
  EXPECT_EQ(cudaFree(device), cudaSuccess);
  EXPECT_EQ(cudaFree(device), cudaErrorInvalidValue);
}

// Column-major C[m, n] = op(A) op(B), in double.
std::vector<double> reference_gemm(bool ta, bool tb, int m, int n, int k,
                                   const std::vector<float>& a, int lda,
                                   const std::vector<float>& b, int ldb) {
  std::vector<double> c(static_cast<std::size_t>(m) * n, 0.0);
  for (int j = 0; j < n; ++j) {
    for (int i = 0; i < m; ++i) {
      for (int p = 0; p < k; ++p) {
        const double av = ta ? a[i * lda + p] : a[p * lda + i];
        const double bv = tb ? b[p * ldb + j] : b[j * ldb + p];
        c[static_cast<std::size_t>(j) * m + i] += av * bv;
      }
    }
  }
  return c;
}

std::vector<float> counting(std::size_t count, float scale) {
  std::vector<float> values(count);
  for (std::size_t i = 0; i < count; ++i) values[i] = scale * static_cast<float>(i % 7 + 1);
  return values;
}

TEST(EmulatorCublas, SgemmIsColumnMajorWithLeadingDimensions) {
  cublasHandle_t handle = nullptr;
  ASSERT_EQ(cublasCreate(&handle), CUBLAS_STATUS_SUCCESS);
  const int m = 5, n = 3, k = 4;
  for (const bool ta : {false, true}) {
    for (const bool tb : {false, true}) {
      // Leading dimensions one larger than the stored rows: padding rows.
      const int lda = (ta ? k : m) + 1, ldb = (tb ? n : k) + 1, ldc = m + 1;
      const std::vector<float> a = counting(static_cast<std::size_t>(lda) * (ta ? m : k), 0.5f);
      const std::vector<float> b = counting(static_cast<std::size_t>(ldb) * (tb ? k : n), 0.25f);
      DeviceVector<float> da(a), db(b), dc(static_cast<std::size_t>(ldc) * n);
      const float alpha = 1.0f, beta = 0.0f;
      ASSERT_EQ(cublasSgemm(handle, ta ? CUBLAS_OP_T : CUBLAS_OP_N, tb ? CUBLAS_OP_T : CUBLAS_OP_N,
                            m, n, k, &alpha, da.get(), lda, db.get(), ldb, &beta, dc.get(), ldc),
                CUBLAS_STATUS_SUCCESS);
      const std::vector<double> expected = reference_gemm(ta, tb, m, n, k, a, lda, b, ldb);
      const std::vector<float> c = dc.host();
      for (int j = 0; j < n; ++j) {
        for (int i = 0; i < m; ++i) EXPECT_EQ(c[j * ldc + i], expected[j * m + i]);
        EXPECT_EQ(c[j * ldc + m], 0.0f);  // the padding row is not written
      }
    }
  }
  cublasDestroy(handle);
}

TEST(EmulatorCublas, WrongLeadingDimensionsAreRefused) {
  cublasHandle_t handle = nullptr;
  ASSERT_EQ(cublasCreate(&handle), CUBLAS_STATUS_SUCCESS);
  const int m = 6, n = 2, k = 3;
  DeviceVector<float> a(counting(m * k, 1.0f)), b(counting(k * n, 1.0f)), c(m * n);
  const float alpha = 1.0f, beta = 0.0f;
  // lda below A's rows: cuBLAS' own check.
  EXPECT_EQ(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &alpha, a.get(), k, b.get(), k,
                        &beta, c.get(), m),
            CUBLAS_STATUS_INVALID_VALUE);
  // ldb too large for B's allocation: the read would leave it.
  EXPECT_EQ(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &alpha, a.get(), m, b.get(), m,
                        &beta, c.get(), m),
            CUBLAS_STATUS_EXECUTION_FAILED);
  cublasDestroy(handle);
}

TEST(EmulatorCublas, StridedBatchedAndBfloat16GemmExMatchTheReference) {
  cublasHandle_t handle = nullptr;
  ASSERT_EQ(cublasCreate(&handle), CUBLAS_STATUS_SUCCESS);
  const int m = 4, n = 3, k = 5, batch = 3;
  const std::vector<float> a = counting(m * k * batch, 0.5f), b = counting(k * n * batch, 2.0f);
  DeviceVector<float> da(a), db(b), dc(m * n * batch);
  const float alpha = 1.0f, beta = 0.0f;
  ASSERT_EQ(
      cublasSgemmStridedBatched(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &alpha, da.get(), m,
                                m * k, db.get(), k, k * n, &beta, dc.get(), m, m * n, batch),
      CUBLAS_STATUS_SUCCESS);
  const std::vector<float> c = dc.host();
  for (int item = 0; item < batch; ++item) {
    const std::vector<float> ai(a.begin() + item * m * k, a.begin() + (item + 1) * m * k);
    const std::vector<float> bi(b.begin() + item * k * n, b.begin() + (item + 1) * k * n);
    const std::vector<double> expected = reference_gemm(false, false, m, n, k, ai, m, bi, k);
    for (int i = 0; i < m * n; ++i) EXPECT_EQ(c[item * m * n + i], expected[i]);
  }
  // bfloat16 operands: these small multiples of 0.25 and 2 are exact in bfloat16.
  std::vector<std::uint16_t> a16(m * k), b16(k * n);
  for (int i = 0; i < m * k; ++i) std::memcpy(&a16[i], reinterpret_cast<const char*>(&a[i]) + 2, 2);
  for (int i = 0; i < k * n; ++i) std::memcpy(&b16[i], reinterpret_cast<const char*>(&b[i]) + 2, 2);
  DeviceVector<std::uint16_t> da16(a16), db16(b16);
  DeviceVector<float> dc32(m * n);
  ASSERT_EQ(cublasGemmEx(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &alpha, da16.get(), CUDA_R_16BF,
                         m, db16.get(), CUDA_R_16BF, k, &beta, dc32.get(), CUDA_R_32F, m,
                         CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT),
            CUBLAS_STATUS_SUCCESS);
  const std::vector<float> c32 = dc32.host();
  for (int i = 0; i < m * n; ++i) EXPECT_EQ(c32[i], c[i]);
  cublasDestroy(handle);
}

}  // namespace
