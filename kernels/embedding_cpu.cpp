// CPU twins of the embedding kernels. The gradient groups positions by id
// with a stable sort, as the CUDA kernel does, and sums each group in order.
#include <algorithm>
#include <numeric>
#include <vector>

#include "kernels/dtype_dispatch.h"
#include "kernels/embedding.h"
#include "kernels/parallel_for_cpu.h"

namespace cuseq::detail {

template <>
std::int64_t EmbeddingKernels<Cpu>::first_invalid_id(const Tensor& ids, std::int64_t input_dim) {
  const std::int32_t* values = ids.data<std::int32_t>();
  for (std::int64_t i = 0; i < ids.numel(); ++i) {
    if (values[i] < 0 || values[i] >= input_dim) return i;
  }
  return -1;
}

// Whole rows at a time (the CUDA kernel walks elements).
template <>
void EmbeddingKernels<Cpu>::lookup(const Tensor& ids, const Tensor& table, Tensor& out) {
  dispatch_floating(table.dtype(), "embedding_lookup", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const std::int32_t* id_values = ids.data<std::int32_t>();
    const T* rows = table.data<T>();
    T* result = out.data<T>();
    const std::int64_t dim = table.dim(1);
    for_each_index(Cpu{}, ids.numel(), [&](std::int64_t n) {
      const T* row = rows + static_cast<std::int64_t>(id_values[n]) * dim;
      std::copy(row, row + dim, result + n * dim);
    });
  });
}

template <>
void EmbeddingKernels<Cpu>::accumulate_grad(const Tensor& ids, const Tensor& grad_out,
                                            Tensor& grad_table) {
  const std::int32_t* id_values = ids.data<std::int32_t>();
  std::vector<std::int32_t> positions(static_cast<std::size_t>(ids.numel()));
  std::iota(positions.begin(), positions.end(), 0);
  std::stable_sort(positions.begin(), positions.end(),
                   [&](std::int32_t a, std::int32_t b) { return id_values[a] < id_values[b]; });
  std::vector<std::int64_t> segment_starts;
  for (std::size_t k = 0; k < positions.size(); ++k) {
    if (k == 0 || id_values[positions[k]] != id_values[positions[k - 1]]) {
      segment_starts.push_back(static_cast<std::int64_t>(k));
    }
  }
  segment_starts.push_back(static_cast<std::int64_t>(positions.size()));
  const std::int64_t dim = grad_table.dim(1);
  dispatch_floating(grad_table.dtype(), "embedding_grad", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* dy = grad_out.data<T>();
    T* grad = grad_table.data<T>();
    // Segments own distinct rows of grad_table, so they run in parallel. Rows
    // are summed whole (contiguous reads), each column in the same order as
    // add_segment_column on the GPU, so the bits agree.
    for_each_index(
        Cpu{}, static_cast<std::int64_t>(segment_starts.size()) - 1, [&](std::int64_t s) {
          std::vector<T> sum(static_cast<std::size_t>(dim), T(0));
          for (std::int64_t k = segment_starts[s]; k < segment_starts[s + 1]; ++k) {
            const T* row = dy + static_cast<std::int64_t>(positions[k]) * dim;
            for (std::int64_t column = 0; column < dim; ++column) sum[column] += row[column];
          }
          T* target =
              grad + static_cast<std::int64_t>(id_values[positions[segment_starts[s]]]) * dim;
          for (std::int64_t column = 0; column < dim; ++column) target[column] += sum[column];
        });
  });
}

template <>
void EmbeddingKernels<Cpu>::nonzero_mask(const Tensor& ids, Tensor& mask) {
  dispatch_floating(mask.dtype(), "embedding_mask", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_index(Cpu{}, mask.numel(),
                   NonzeroMaskBody<T>{ids.data<std::int32_t>(), mask.data<T>()});
  });
}

}  // namespace cuseq::detail
