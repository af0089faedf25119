// The embedding math shared by embedding_cpu.cpp and embedding.cu.
#pragma once

#include <cstdint>

#include "cuseq/host_device.h"

namespace cuseq::detail {

// out[i] for the flattened [positions, dim] output: one row of the table.
template <class T>
struct EmbeddingLookupBody {
  const std::int32_t* ids;
  const T* table;
  std::int64_t dim;
  T* out;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const {
    out[i] = table[static_cast<std::int64_t>(ids[i / dim]) * dim + i % dim];
  }
};

template <class T>
struct NonzeroMaskBody {
  const std::int32_t* ids;
  T* mask;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const { mask[i] = ids[i] != 0 ? T(1) : T(0); }
};

// Column `column` of one id's gradient row: the grad_out rows of its
// positions (sorted, ascending) summed in that order, then added once, so
// both backends produce the same bits.
template <class T>
CUSEQ_HOST_DEVICE void add_segment_column(const std::int32_t* sorted_positions,
                                          std::int64_t begin, std::int64_t end, std::int32_t id,
                                          const T* grad_out, std::int64_t dim,
                                          std::int64_t column, T* grad_table) {
  T sum = T(0);
  for (std::int64_t k = begin; k < end; ++k) {
    sum += grad_out[static_cast<std::int64_t>(sorted_positions[k]) * dim + column];
  }
  grad_table[static_cast<std::int64_t>(id) * dim + column] += sum;
}

}  // namespace cuseq::detail
