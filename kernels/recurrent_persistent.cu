// Persistent recurrent kernels (Diamos et al. 2016, "Persistent RNNs"): one
// cooperative launch per direction runs all steps, so recurrent_kernel R is
// read from global memory once instead of once per step, and a step costs a
// grid-wide barrier instead of a GEMM launch plus a pointwise launch.
//
// Launch shape: 256 threads a block, at most one block per SM; block j owns
// the units [j*U, j*U + U_j) (U = ceil(units / SMs), U_j = U except maybe the
// last block). Forward holds R[:, g*H + u] (all gates g, its units u) in
// shared memory as [H][G*U_j]; backward holds the rows R[u, :] as [U_j][G*H].
// The per-(sample, unit) cell math is forward_step_at/backward_step_at, the
// same functions as the standard path's pointwise kernels.
#include <cooperative_groups.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "core/detail/cuda_check.h"
#include "kernels/cuda_launch.h"
#include "kernels/dtype_dispatch.h"
#include "kernels/kernel_launch.cuh"
#include "kernels/recurrent.h"
#include "kernels/recurrent_persistent.h"

namespace cuseq::detail {
namespace {

namespace cg = cooperative_groups;

constexpr int kThreads = 256;

// How many K-slices a block's threads split each of `columns` dot products
// into: every thread owns one (column, slice) pair while there are threads
// for all of them.
__host__ __device__ int slice_count(int columns) {
  return columns >= kThreads ? 1 : kThreads / columns;
}

// Shared memory for the partial sums of `columns` columns: slice_count(c) * c
// <= max(kThreads, c) for every c <= columns, the last block's smaller c too.
std::size_t partial_elements(std::int64_t batch, std::int64_t columns) {
  return static_cast<std::size_t>(batch * std::max<std::int64_t>(kThreads, columns));
}

// The partial sums of one (sample, column) over its slices: partial holds
// [batch][slices * columns] items, the item of (column, slice) being
// column * column_stride + slice * slice_stride.
template <class T>
__device__ T sum_slices(const T* partial, int b, int column, int columns, int slices,
                        int column_stride, int slice_stride) {
  const T* row = partial + b * slices * columns + column * column_stride;
  T sum = T(0);
  for (int slice = 0; slice < slices; ++slice) sum += row[slice * slice_stride];
  return sum;
}

// One thread's share of `batch` dot products: for every sample b,
// out[b * out_stride] = sum of rows[b * row_stride + k] * w[k * w_stride] over
// k = begin, begin + step, ... < end. One weight load serves all samples.
template <class T>
__device__ void sample_dots(const T* rows, int row_stride, const T* w, int w_stride, int begin,
                            int end, int step, int batch, T* out, int out_stride) {
  T acc[kPersistentMaxBatch] = {};
  for (int k = begin; k < end; k += step) {
    const T weight = w[k * w_stride];
#pragma unroll
    for (int b = 0; b < kPersistentMaxBatch; ++b) {
      if (b < batch) acc[b] += rows[b * row_stride + k] * weight;
    }
  }
#pragma unroll  // constant indices keep acc in registers
  for (int b = 0; b < kPersistentMaxBatch; ++b) {
    if (b < batch) out[b * out_stride] = acc[b];
  }
}

template <class T, Activation kActivation, Activation kRecurrent>
__global__ void __launch_bounds__(kThreads)
    persistent_forward_kernel(StepForward<T> s, ForwardBuffers<T> buffers,
                              const T* recurrent_kernel, int units_per_block) {
  CUSEQ_DYNAMIC_SHARED(unsigned char, shared_raw);
  cg::grid_group grid = cg::this_grid();
  const int H = static_cast<int>(s.units), batch = static_cast<int>(s.batch);
  const int gates = gate_count(s.cell), width = gates * H;
  const int first_unit = static_cast<int>(blockIdx.x) * units_per_block;
  const int units = min(units_per_block, H - first_unit);  // >= 1: blocks = ceil(H / U)
  const int columns = gates * units, slices = slice_count(columns);
  // Layout (offsets from the host's capacities): weights [H][G*U], h [batch][H], partial.
  T* const weights = reinterpret_cast<T*>(shared_raw);
  T* const h = weights + H * gates * units_per_block;
  T* const partial = h + batch * H;

  // Column c = g*units + u of this block is R's column g*H + first_unit + u.
  for (int i = threadIdx.x; i < H * columns; i += blockDim.x) {
    const int k = i / columns, c = i % columns;
    weights[i] = recurrent_kernel[k * width + (c / units) * H + first_unit + c % units];
  }
  for (std::int64_t step = 0; step < s.steps; ++step) {
    set_forward_step(s, buffers, step);
    // The step's recurrent GEMM input, every unit (written by every block at
    // the previous step, or by the host-ordered copy before the launch).
    const T* input = buffers.recurrent_inputs + step * batch * H;
    for (int i = threadIdx.x; i < batch * H; i += blockDim.x) h[i] = input[i];
    // Barrier 1: h (and, at the first step, the weights) are in shared memory
    // for every thread of the block.
    __syncthreads();
    for (int item = threadIdx.x; item < slices * columns; item += blockDim.x) {
      const int c = item % columns, slice = item / columns;
      // Consecutive threads read consecutive words of the weights.
      sample_dots(h, H, weights + c, columns, slice, H, slices, batch, partial + item,
                  slices * columns);
    }
    // Barrier 2: every partial sum is in shared memory.
    __syncthreads();
    for (int o = threadIdx.x; o < batch * columns; o += blockDim.x) {
      const int b = o / columns, c = o % columns;
      buffers.recurrent_projection[b * width + (c / units) * H + first_unit + c % units] =
          sum_slices(partial, b, c, columns, slices, 1, columns);
    }
    // Barrier 3: the block's projection columns, written to global memory by
    // its threads, are visible to all of them; the cell math below reads only
    // this block's columns, so no other block is involved.
    __syncthreads();
    for (int o = threadIdx.x; o < batch * units; o += blockDim.x) {
      const int b = o / units;
      forward_step_at<kActivation, kRecurrent>(s, b, first_unit + o % units, s.cell,
                                               step_is_real(s.step_mask, b, s.steps, s.time));
    }
    // Grid barrier: the next step stages h of every unit, written just now by
    // every block; it also orders this step's reads of h, partial and the
    // projection before the next step overwrites them. The condition is the
    // same in every block, so all of them reach the same barriers.
    if (step + 1 < s.steps) grid.sync();
  }
}

template <class T, Activation kActivation, Activation kRecurrent>
__global__ void __launch_bounds__(kThreads)
    persistent_backward_kernel(StepBackward<T> s, BackwardBuffers<T> buffers,
                               const T* recurrent_kernel, int units_per_block) {
  CUSEQ_DYNAMIC_SHARED(unsigned char, shared_raw);
  cg::grid_group grid = cg::this_grid();
  const int H = static_cast<int>(s.units), batch = static_cast<int>(s.batch);
  const int width = gate_count(s.cell) * H;
  const int first_unit = static_cast<int>(blockIdx.x) * units_per_block;
  const int units = min(units_per_block, H - first_unit);  // >= 1
  const int slices = slice_count(units);
  // Layout: weights [U][G*H] (R's rows of this block's units), partial.
  T* const weights = reinterpret_cast<T*>(shared_raw);
  T* const partial = weights + units_per_block * width;

  for (int i = threadIdx.x; i < units * width; i += blockDim.x)
    weights[i] = recurrent_kernel[first_unit * width + i];
  for (std::int64_t step = s.steps - 1; step >= 0; --step) {
    set_backward_step(s, buffers, step);
    // Phase 1: the cell math of this block's (sample, unit) pairs. It reads
    // d_recurrent only at this block's units, written by this block's phase 2
    // of the previous iteration (ordered by barrier 5 below).
    for (int o = threadIdx.x; o < batch * units; o += blockDim.x) {
      const int b = o / units;
      backward_step_at<kActivation, kRecurrent>(s, b, first_unit + o % units, s.cell,
                                                step_is_real(s.step_mask, b, s.steps, s.time));
    }
    // Grid barrier (the only one per step): phase 2 reads the step's
    // d_gates_recurrent of every unit, written by every block in phase 1. It
    // is also a block barrier, so the weights loaded above are in place.
    // Nothing written in phase 2 is read by another block, and phase 1 of the
    // next iteration writes other rows of d_gates_recurrent (the next step's),
    // so no second grid barrier is needed.
    grid.sync();
    // Phase 2: d_recurrent[b, u] = sum_n d_gates[b, n] R[u, n] for this
    // block's units; consecutive threads take consecutive n (coalesced reads
    // of d_gates, conflict-free reads of the weights).
    const T* d_gates = s.d_gates_recurrent;
    for (int item = threadIdx.x; item < slices * units; item += blockDim.x) {
      const int slice = item % slices, u = item / slices;
      sample_dots(d_gates, width, weights + u * width, 1, slice, width, slices, batch,
                  partial + item, slices * units);
    }
    // Barrier 4: every partial sum is in shared memory.
    __syncthreads();
    for (int o = threadIdx.x; o < batch * units; o += blockDim.x) {
      const int b = o / units, u = o % units;
      buffers.d_recurrent[b * H + first_unit + u] =
          sum_slices(partial, b, u, units, slices, slices, 1);
    }
    // Barrier 5: the next phase 1 reads these d_recurrent values from other
    // threads of this block, and the next phase 2 overwrites partial only
    // after every thread has finished reducing it.
    __syncthreads();
  }
}

struct LaunchPlan {
  int units_per_block = 0;
  int blocks = 0;
  std::size_t shared_bytes = 0;
  std::string reason;  // why the kernel cannot run; empty when it can
};

std::string kib(std::size_t bytes) { return std::to_string((bytes + 1023) / 1024) + " KiB"; }

// At most one block per SM, U = ceil(units / SMs) units each; then checks
// that the block's shared memory fits and that the whole grid is co-resident
// (a grid barrier with a block still waiting for an SM would never return).
template <class SharedBytes>
LaunchPlan plan_launch(const void* kernel, std::int64_t units, SharedBytes shared_bytes_of) {
  int device = 0, sms = 0, shared_optin = 0;
  CUSEQ_CUDA_CHECK(cudaGetDevice(&device));
  CUSEQ_CUDA_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device));
  CUSEQ_CUDA_CHECK(
      cudaDeviceGetAttribute(&shared_optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, device));
  LaunchPlan plan;
  plan.units_per_block = static_cast<int>((units + sms - 1) / sms);
  plan.blocks = static_cast<int>((units + plan.units_per_block - 1) / plan.units_per_block);
  plan.shared_bytes = shared_bytes_of(static_cast<std::int64_t>(plan.units_per_block));
  if (plan.shared_bytes > static_cast<std::size_t>(shared_optin)) {
    plan.reason =
        "a block of " + std::to_string(plan.units_per_block) + " units needs " +
        kib(plan.shared_bytes) +
        " of shared memory (its slice of recurrent_kernel plus staging), the GPU allows " +
        kib(static_cast<std::size_t>(shared_optin)) + " per block";
    return plan;
  }
  CUSEQ_CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                        static_cast<int>(plan.shared_bytes)));
  int per_sm = 0;
  CUSEQ_CUDA_CHECK(
      cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, kernel, kThreads, plan.shared_bytes));
  if (static_cast<std::int64_t>(per_sm) * sms < plan.blocks) {
    plan.reason = "its " + std::to_string(plan.blocks) + " blocks of " + kib(plan.shared_bytes) +
                  " shared memory are not co-resident (" + std::to_string(per_sm) + " per SM x " +
                  std::to_string(sms) + " SMs)";
  }
  return plan;
}

template <class T, Activation kActivation, Activation kRecurrent>
LaunchPlan forward_plan(RecurrentCell cell, std::int64_t batch, std::int64_t units) {
  const std::int64_t gates = gate_count(cell);
  return plan_launch(
      reinterpret_cast<const void*>(&persistent_forward_kernel<T, kActivation, kRecurrent>), units,
      [&](std::int64_t per_block) {
        const auto elements = static_cast<std::size_t>(units * gates * per_block + batch * units) +
                              partial_elements(batch, gates * per_block);
        return elements * sizeof(T);
      });
}

template <class T, Activation kActivation, Activation kRecurrent>
LaunchPlan backward_plan(RecurrentCell cell, std::int64_t batch, std::int64_t units) {
  const std::int64_t gates = gate_count(cell);
  return plan_launch(
      reinterpret_cast<const void*>(&persistent_backward_kernel<T, kActivation, kRecurrent>), units,
      [&](std::int64_t per_block) {
        const auto elements = static_cast<std::size_t>(per_block * gates * units) +
                              partial_elements(batch, per_block);
        return elements * sizeof(T);
      });
}

// Launches a persistent kernel, whose arguments are (step, buffers,
// recurrent_kernel, units per block), as `plan` says.
template <class Step, class Buffers, class T>
void launch_cooperative(void (*kernel)(Step, Buffers, const T*, int), const LaunchPlan& plan,
                        const Step& step, const Buffers& buffers, const T* recurrent_kernel,
                        const char* what) {
  check(plan.reason.empty(), what, plan.reason);  // ineligibility() said it fits: a safety net
  const LaunchShape shape{dim3(static_cast<unsigned>(plan.blocks)), dim3(kThreads),
                          plan.shared_bytes, launch_stream()};
  CUSEQ_CUDA_CHECK(launch_cooperative_kernel(kernel, shape, step, buffers, recurrent_kernel,
                                             plan.units_per_block));
}

}  // namespace

template <>
std::string RecurrentPersistentKernels<Cuda>::ineligibility(const PersistentProblem& p) {
  if (p.batch > kPersistentMaxBatch) {
    return "batch " + std::to_string(p.batch) + " is above " + std::to_string(kPersistentMaxBatch);
  }
  int device = 0, cooperative = 0;
  CUSEQ_CUDA_CHECK(cudaGetDevice(&device));
  CUSEQ_CUDA_CHECK(cudaDeviceGetAttribute(&cooperative, cudaDevAttrCooperativeLaunch, device));
  if (cooperative == 0) return "the GPU does not support cooperative launches";
  std::string reason;
  dispatch_floating(p.dtype, "persistent recurrent kernels", [&](auto tag) {
    using T = typename decltype(tag)::type;
    with_cell_activations(p.activation, p.recurrent_activation, [&](auto a, auto r) {
      constexpr Activation kA = decltype(a)::value, kR = decltype(r)::value;
      const LaunchPlan forward = forward_plan<T, kA, kR>(p.cell, p.batch, p.units);
      const LaunchPlan backward = backward_plan<T, kA, kR>(p.cell, p.batch, p.units);
      if (!forward.reason.empty()) {
        reason = "forward: " + forward.reason;
      } else if (!backward.reason.empty()) {
        reason = "backward: " + backward.reason;
      }
    });
  });
  return reason;
}

template <>
template <class T>
void RecurrentPersistentKernels<Cuda>::forward(const StepForward<T>& first,
                                               const ForwardBuffers<T>& buffers,
                                               const T* recurrent_kernel) {
  with_cell_activations(first.activation, first.recurrent_activation, [&](auto a, auto r) {
    constexpr Activation kA = decltype(a)::value, kR = decltype(r)::value;
    launch_cooperative(&persistent_forward_kernel<T, kA, kR>,
                       forward_plan<T, kA, kR>(first.cell, first.batch, first.units), first,
                       buffers, recurrent_kernel, "persistent recurrent forward");
  });
}

template <>
template <class T>
void RecurrentPersistentKernels<Cuda>::backward(const StepBackward<T>& first,
                                                const BackwardBuffers<T>& buffers,
                                                const T* recurrent_kernel) {
  with_cell_activations(first.activation, first.recurrent_activation, [&](auto a, auto r) {
    constexpr Activation kA = decltype(a)::value, kR = decltype(r)::value;
    launch_cooperative(&persistent_backward_kernel<T, kA, kR>,
                       backward_plan<T, kA, kR>(first.cell, first.batch, first.units), first,
                       buffers, recurrent_kernel, "persistent recurrent backward");
  });
}

template void RecurrentPersistentKernels<Cuda>::forward<float>(const StepForward<float>&,
                                                               const ForwardBuffers<float>&,
                                                               const float*);
template void RecurrentPersistentKernels<Cuda>::forward<double>(const StepForward<double>&,
                                                                const ForwardBuffers<double>&,
                                                                const double*);
template void RecurrentPersistentKernels<Cuda>::backward<float>(const StepBackward<float>&,
                                                                const BackwardBuffers<float>&,
                                                                const float*);
template void RecurrentPersistentKernels<Cuda>::backward<double>(const StepBackward<double>&,
                                                                 const BackwardBuffers<double>&,
                                                                 const double*);

}  // namespace cuseq::detail
