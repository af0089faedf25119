#include "dataset_rows.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <random>

namespace cuseq::examples {

std::vector<std::int64_t> shuffled_indices(std::int64_t n, std::uint64_t seed) {
  std::vector<std::int64_t> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  // Fisher-Yates with our own draws: std::shuffle's algorithm varies by library.
  std::mt19937_64 engine(seed);
  for (std::size_t i = order.size(); i > 1; --i) {
    std::swap(order[i - 1], order[engine() % i]);
  }
  return order;
}

Tensor take_rows(const Tensor& x, const std::vector<std::int64_t>& rows) {
  const Tensor host = x.to(Device::cpu());
  std::vector<std::int64_t> dims = host.shape().dims();
  dims[0] = static_cast<std::int64_t>(rows.size());
  Tensor taken = Tensor::empty(Shape(dims), host.dtype());
  const std::size_t row_bytes = host.dim(0) == 0 ? 0 : host.nbytes() / host.dim(0);
  const auto* source = static_cast<const unsigned char*>(host.raw_data());
  auto* target = static_cast<unsigned char*>(taken.raw_data());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    check(rows[i] >= 0 && rows[i] < host.dim(0), "take_rows", "row ", rows[i], " is outside [0, ",
          host.dim(0), ")");
    std::memcpy(target + i * row_bytes, source + rows[i] * row_bytes, row_bytes);
  }
  return taken;
}

}  // namespace cuseq::examples
