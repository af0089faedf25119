// Rows of a data set: row gather, shuffles, train/test splits and subsamples
// that are the same on every machine for a seed, and the majority-class
// baseline a classifier must beat.
#pragma once

#include <cstdint>
#include <vector>

#include "cuseq/export.h"
#include "cuseq/tensor.h"
#include "cuseq/text_datasets.h"

namespace cuseq {

// 0 .. n-1 in an order fixed by `seed` (Fisher-Yates on mt19937_64 draws, not
// std::shuffle, whose algorithm differs between standard libraries).
CUSEQ_API std::vector<std::int64_t> shuffled_indices(std::int64_t n, std::uint64_t seed);

// The rows (first axis) of `x` listed in `rows`, in that order and repeats
// allowed, as a new tensor on x's device (numpy's x[rows]). A row outside
// [0, rows of x) is a cuseq::Error.
CUSEQ_API Tensor take_rows(const Tensor& x, const std::vector<std::int64_t>& rows);

// The elements of `values` at `rows`, in that order.
template <class T>
std::vector<T> take(const std::vector<T>& values, const std::vector<std::int64_t>& rows) {
  std::vector<T> taken;
  taken.reserve(rows.size());
  for (const std::int64_t row : rows) taken.push_back(values.at(static_cast<std::size_t>(row)));
  return taken;
}

// scikit-learn's train_test_split: the rows are shuffled with `seed` (unless
// shuffle is false), then the last round-up(test_size * rows) of them are the
// test set. test_size in (0, 1). x and y must have the same number of rows.
struct TrainTestSplit {
  Tensor x_train, x_test, y_train, y_test;
};
CUSEQ_API TrainTestSplit train_test_split(const Tensor& x, const Tensor& y, double test_size = 0.25,
                                          std::uint64_t seed = 0, bool shuffle = true);
// The same for labelled texts (before tokenizing: fit the tokenizer on train only).
struct TextSplit {
  TextDataset train, test;
};
CUSEQ_API TextSplit train_test_split(const TextDataset& data, double test_size = 0.25,
                                     std::uint64_t seed = 0, bool shuffle = true);

// x and y with their rows in the same shuffled order.
CUSEQ_API void shuffle_rows(Tensor& x, Tensor& y, std::uint64_t seed);

// A fixed random `count` of the rows of x and y (all rows when count <= 0 or
// count >= rows): a reproducible subsample for quick runs.
CUSEQ_API void keep_random_rows(Tensor& x, Tensor& y, std::int64_t count, std::uint64_t seed = 7);

// The most frequent label (the smallest on a tie) and its share of all labels:
// the accuracy of always answering it, the baseline a classifier must beat.
struct MajorityClass {
  std::int32_t label = 0;
  double share = 0.0;
};
// labels: int32 ids or whole-number floats, any shape.
CUSEQ_API MajorityClass majority_class(const Tensor& labels);
CUSEQ_API MajorityClass majority_class(const std::vector<std::int32_t>& labels);

}  // namespace cuseq
