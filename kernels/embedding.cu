// CUDA embedding kernels.
// lookup: grid-stride, one thread per output element; consecutive threads read
//   consecutive columns of one table row (coalesced).
// gradient: cub's stable radix sort groups positions by id; then one block per
//   sorted position, of which only segment starts work: threads stride over the
//   columns of that id's row, summing its positions in order. Each row has one
//   writer, so no atomics and the same bits every run.
// first_invalid_id: grid-stride check, atomicMin of the bad positions into one int.
#include <algorithm>
#include <climits>
#include <cub/device/device_radix_sort.cuh>

#include "core/detail/cuda_check.h"
#include "kernels/cuda_launch.h"
#include "kernels/dtype_dispatch.h"
#include "kernels/embedding.h"
#include "kernels/for_each_cuda.cuh"
#include "kernels/kernel_launch.cuh"

namespace cuseq::detail {
namespace {

constexpr int kThreads = 256;

// out[i] for the flattened [positions, dim] output: one row of the table.
template <class T>
struct EmbeddingLookupBody {
  const std::int32_t* ids;
  const T* table;
  std::int64_t dim;
  T* out;
  __device__ void operator()(std::int64_t i) const {
    out[i] = table[static_cast<std::int64_t>(ids[i / dim]) * dim + i % dim];
  }
};

// Column `column` of one id's gradient row: the grad_out rows of its
// positions (sorted, ascending) summed in that order, then added once; the
// CPU twin sums in the same order, so both backends produce the same bits.
template <class T>
__device__ void add_segment_column(const std::int32_t* sorted_positions, std::int64_t begin,
                                   std::int64_t end, std::int32_t id, const T* grad_out,
                                   std::int64_t dim, std::int64_t column, T* grad_table) {
  T sum = T(0);
  for (std::int64_t k = begin; k < end; ++k) {
    sum += grad_out[static_cast<std::int64_t>(sorted_positions[k]) * dim + column];
  }
  grad_table[static_cast<std::int64_t>(id) * dim + column] += sum;
}

__global__ void find_invalid_kernel(const std::int32_t* ids, std::int64_t count,
                                    std::int64_t input_dim, int* first_bad) {
  const std::int64_t stride = static_cast<std::int64_t>(gridDim.x) * blockDim.x;
  for (std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x; i < count;
       i += stride) {
    if (ids[i] < 0 || ids[i] >= input_dim) atomicMin(first_bad, static_cast<int>(i));
  }
}

template <class T>
__global__ void segment_grad_kernel(const std::int32_t* sorted_ids,
                                    const std::int32_t* sorted_positions, std::int64_t count,
                                    const T* grad_out, std::int64_t dim, T* grad_table) {
  const std::int64_t begin = blockIdx.x;
  if (begin > 0 && sorted_ids[begin] == sorted_ids[begin - 1]) return;  // not a segment start
  const std::int32_t id = sorted_ids[begin];
  std::int64_t end = begin + 1;
  while (end < count && sorted_ids[end] == id) ++end;
  for (std::int64_t column = threadIdx.x; column < dim; column += blockDim.x) {
    add_segment_column(sorted_positions, begin, end, id, grad_out, dim, column, grad_table);
  }
}

// positions[i] = i: the values the sort carries along with the ids.
struct PositionBody {
  std::int32_t* positions;
  __device__ void operator()(std::int64_t i) const { positions[i] = static_cast<std::int32_t>(i); }
};

unsigned grid_for(std::int64_t count) {
  return static_cast<unsigned>(
      std::min<std::int64_t>((count + kThreads - 1) / kThreads, 65535 * 8));
}

// Bits that cover every id below `bound`, so the radix sort skips the rest.
int bits_for(std::int64_t bound) {
  int bits = 1;
  while (bits < 31 && (std::int64_t{1} << bits) < bound) ++bits;
  return bits;
}

Tensor device_buffer(std::int64_t count, Device device) {
  return Tensor::empty(Shape{std::max<std::int64_t>(count, 1)}, DType::int32, device);
}

}  // namespace

template <>
std::int64_t EmbeddingKernels<Cuda>::first_invalid_id(const Tensor& ids, std::int64_t input_dim) {
  const std::int64_t count = ids.numel();
  if (count == 0) return -1;
  Tensor first_bad = device_buffer(1, ids.device());
  Kernels<Cuda>::fill(first_bad, INT_MAX);
  launch_kernel(find_invalid_kernel, {dim3(grid_for(count)), dim3(kThreads), 0, launch_stream()},
                ids.data<std::int32_t>(), count, input_dim, first_bad.data<int>());
  CUSEQ_CUDA_CHECK_LAUNCH();
  const int position = first_bad.to(Device::cpu()).data<int>()[0];
  return position == INT_MAX ? -1 : position;
}

template <>
void EmbeddingKernels<Cuda>::lookup(const Tensor& ids, const Tensor& table, Tensor& out) {
  dispatch_floating(table.dtype(), "embedding_lookup", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_index(Cuda{}, out.numel(),
                   EmbeddingLookupBody<T>{ids.data<std::int32_t>(), table.data<T>(), table.dim(1),
                                          out.data<T>()});
  });
}

template <>
void EmbeddingKernels<Cuda>::accumulate_grad(const Tensor& ids, const Tensor& grad_out,
                                             Tensor& grad_table) {
  const std::int64_t count = ids.numel();
  if (count == 0) return;
  const Device device = ids.device();
  Tensor positions = device_buffer(count, device);
  Tensor sorted_ids = device_buffer(count, device);
  Tensor sorted_positions = device_buffer(count, device);
  for_each_index(Cuda{}, count, PositionBody{positions.data<std::int32_t>()});
  const int end_bit = bits_for(grad_table.dim(0));
  std::size_t temp_bytes = 0;
  CUSEQ_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(
      nullptr, temp_bytes, ids.data<std::int32_t>(), sorted_ids.data<std::int32_t>(),
      positions.data<std::int32_t>(), sorted_positions.data<std::int32_t>(),
      static_cast<int>(count), 0, end_bit, launch_stream()));
  Tensor temp = device_buffer(static_cast<std::int64_t>((temp_bytes + 3) / 4), device);
  CUSEQ_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(
      temp.raw_data(), temp_bytes, ids.data<std::int32_t>(), sorted_ids.data<std::int32_t>(),
      positions.data<std::int32_t>(), sorted_positions.data<std::int32_t>(),
      static_cast<int>(count), 0, end_bit, launch_stream()));
  const std::int64_t dim = grad_table.dim(1);
  const int threads =
      static_cast<int>(std::min<std::int64_t>(std::max<std::int64_t>(dim, 32), kThreads));
  dispatch_floating(grad_table.dtype(), "embedding_grad", [&](auto tag) {
    using T = typename decltype(tag)::type;
    launch_kernel(segment_grad_kernel<T>,
                  {dim3(static_cast<unsigned>(count)), dim3(threads), 0, launch_stream()},
                  sorted_ids.data<std::int32_t>(), sorted_positions.data<std::int32_t>(), count,
                  grad_out.data<T>(), dim, grad_table.data<T>());
    CUSEQ_CUDA_CHECK_LAUNCH();
  });
}

template <>
void EmbeddingKernels<Cuda>::nonzero_mask(const Tensor& ids, Tensor& mask) {
  dispatch_floating(mask.dtype(), "embedding_mask", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_index(Cuda{}, mask.numel(),
                   NonzeroMaskBody<T>{ids.data<std::int32_t>(), mask.data<T>()});
  });
}

}  // namespace cuseq::detail
