#include "cuseq/datasets.h"

#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <random>

#include "cuseq/error.h"

namespace cuseq {
namespace {

// The permutation train_test_split uses, and where its test rows start.
struct SplitOrder {
  std::vector<std::int64_t> train, test;
};

SplitOrder split_order(std::int64_t rows, double test_size, std::uint64_t seed, bool shuffle) {
  check(test_size > 0.0 && test_size < 1.0, "train_test_split",
        "expected test_size in (0, 1), got ", test_size);
  const auto test_rows =
      static_cast<std::int64_t>(std::ceil(test_size * static_cast<double>(rows)));
  check(test_rows < rows, "train_test_split", "test_size ", test_size, " of ", rows,
        " rows leaves no training rows");
  std::vector<std::int64_t> order(static_cast<std::size_t>(rows));
  if (shuffle) {
    order = shuffled_indices(rows, seed);
  } else {
    std::iota(order.begin(), order.end(), 0);
  }
  const auto cut = order.begin() + (rows - test_rows);
  return {{order.begin(), cut}, {cut, order.end()}};
}

}  // namespace

std::vector<std::int64_t> shuffled_indices(std::int64_t n, std::uint64_t seed) {
  check(n >= 0, "shuffled_indices", "expected n >= 0, got ", n);
  std::vector<std::int64_t> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 engine(seed);
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[engine() % i]);
  return order;
}

Tensor take_rows(const Tensor& x, const std::vector<std::int64_t>& rows) {
  check(x.defined() && x.rank() >= 1, "take_rows", "expected a tensor with a row axis, got ", x);
  const Tensor host = x.to(Device::cpu());
  std::vector<std::int64_t> dims = host.shape().dims();
  dims[0] = static_cast<std::int64_t>(rows.size());
  Tensor taken = Tensor::empty(Shape(dims), host.dtype());
  const std::size_t row_bytes =
      host.dim(0) == 0 ? 0 : host.nbytes() / static_cast<std::size_t>(host.dim(0));
  const auto* source = static_cast<const unsigned char*>(host.raw_data());
  auto* target = static_cast<unsigned char*>(taken.raw_data());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    check(rows[i] >= 0 && rows[i] < host.dim(0), "take_rows", "row ", rows[i], " is outside [0, ",
          host.dim(0), ") of ", x);
    std::memcpy(target + i * row_bytes, source + static_cast<std::size_t>(rows[i]) * row_bytes,
                row_bytes);
  }
  return taken.to(x.device());
}

TrainTestSplit train_test_split(const Tensor& x, const Tensor& y, double test_size,
                                std::uint64_t seed, bool shuffle) {
  check(x.defined() && y.defined() && x.rank() >= 1 && y.rank() >= 1 && x.dim(0) == y.dim(0),
        "train_test_split", "x and y need the same number of rows, got x ", x, " and y ", y);
  const SplitOrder order = split_order(x.dim(0), test_size, seed, shuffle);
  return {take_rows(x, order.train), take_rows(x, order.test), take_rows(y, order.train),
          take_rows(y, order.test)};
}

TextSplit train_test_split(const TextDataset& data, double test_size, std::uint64_t seed,
                           bool shuffle) {
  check(data.texts.size() == data.labels.size(), "train_test_split", "the data set has ",
        data.texts.size(), " texts but ", data.labels.size(), " labels");
  const SplitOrder order =
      split_order(static_cast<std::int64_t>(data.texts.size()), test_size, seed, shuffle);
  return {{take(data.texts, order.train), take(data.labels, order.train)},
          {take(data.texts, order.test), take(data.labels, order.test)}};
}

void shuffle_rows(Tensor& x, Tensor& y, std::uint64_t seed) {
  check(x.rank() >= 1 && y.rank() >= 1 && x.dim(0) == y.dim(0), "shuffle_rows",
        "x and y need the same number of rows, got x ", x, " and y ", y);
  const std::vector<std::int64_t> order = shuffled_indices(x.dim(0), seed);
  x = take_rows(x, order);
  y = take_rows(y, order);
}

void keep_random_rows(Tensor& x, Tensor& y, std::int64_t count, std::uint64_t seed) {
  if (count <= 0 || count >= x.dim(0)) return;
  check(y.rank() >= 1 && x.dim(0) == y.dim(0), "keep_random_rows",
        "x and y need the same number of rows, got x ", x, " and y ", y);
  std::vector<std::int64_t> rows = shuffled_indices(x.dim(0), seed);
  rows.resize(static_cast<std::size_t>(count));
  x = take_rows(x, rows);
  y = take_rows(y, rows);
}

MajorityClass majority_class(const std::vector<std::int32_t>& labels) {
  std::map<std::int32_t, std::int64_t> counts;
  for (const std::int32_t label : labels) ++counts[label];
  MajorityClass best;
  std::int64_t best_count = 0;
  for (const auto& [label, count] : counts) {
    if (count > best_count) best.label = label, best_count = count;
  }
  best.share =
      labels.empty() ? 0.0 : static_cast<double>(best_count) / static_cast<double>(labels.size());
  return best;
}

MajorityClass majority_class(const Tensor& labels) {
  const Tensor host = labels.to(Device::cpu());
  if (host.dtype() == DType::int32) return majority_class(host.to_vector<std::int32_t>());
  std::vector<double> values;
  if (host.dtype() == DType::float32) {
    const std::vector<float> floats = host.to_vector<float>();
    values.assign(floats.begin(), floats.end());
  } else {
    check(host.dtype() == DType::float64, "majority_class", "expected int32 or float labels, got ",
          labels);
    values = host.to_vector<double>();
  }
  std::vector<std::int32_t> ids;
  for (const double value : values) {
    check(std::floor(value) == value, "majority_class", "expected whole-number labels, got ",
          value);
    ids.push_back(static_cast<std::int32_t>(value));
  }
  return majority_class(ids);
}

}  // namespace cuseq
