// Row selection for examples that split or subsample their data.
#pragma once

#include <cstdint>
#include <vector>

#include "cuseq/cuseq.h"

namespace cuseq::examples {

// 0 .. n-1 in an order fixed by `seed` (the same on every machine).
std::vector<std::int64_t> shuffled_indices(std::int64_t n, std::uint64_t seed);

// A CPU tensor of the rows of `x` (first axis) listed in `rows`, in that order.
Tensor take_rows(const Tensor& x, const std::vector<std::int64_t>& rows);

// The elements of `values` at `rows`, in that order.
template <class T>
std::vector<T> take(const std::vector<T>& values, const std::vector<std::int64_t>& rows) {
  std::vector<T> taken;
  taken.reserve(rows.size());
  for (const std::int64_t row : rows) taken.push_back(values[static_cast<std::size_t>(row)]);
  return taken;
}

}  // namespace cuseq::examples
