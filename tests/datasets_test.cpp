// Row gather, shuffles, train/test splits, subsamples and the majority class.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "test_support.h"

namespace cuseq {
namespace {

Tensor row_ids(std::int64_t rows) {
  std::vector<std::int32_t> ids(static_cast<std::size_t>(rows * 2));
  for (std::int64_t r = 0; r < rows; ++r) {
    ids[2 * r] = static_cast<std::int32_t>(r);
    ids[2 * r + 1] = static_cast<std::int32_t>(100 + r);
  }
  return Tensor::from_vector(ids, {rows, 2});
}

// The first column of [rows, 2] ids: which original rows a tensor holds.
std::vector<std::int32_t> first_column(const Tensor& x) {
  std::vector<std::int32_t> rows;
  const std::vector<std::int32_t> values = x.to_vector<std::int32_t>();
  for (std::size_t i = 0; i < values.size(); i += 2) rows.push_back(values[i]);
  return rows;
}

TEST(TakeRows, CopiesTheListedRowsInOrderWithRepeats) {
  const Tensor x = Tensor::from_vector<std::int32_t>({0, 1, 10, 11, 20, 21}, {3, 2});
  EXPECT_EQ(take_rows(x, {2, 0, 2}).to_vector<std::int32_t>(),
            (std::vector<std::int32_t>{20, 21, 0, 1, 20, 21}));
  EXPECT_EQ(take_rows(x, {}).shape(), (Shape{0, 2}));
  testing::expect_error_mentions([&] { take_rows(x, {3}); }, {"take_rows", "row 3", "[0, 3)"});
}

TEST(ShuffledIndices, IsAPermutationFixedByTheSeed) {
  std::vector<std::int64_t> order = shuffled_indices(50, 3);
  EXPECT_EQ(order, shuffled_indices(50, 3));
  EXPECT_NE(order, shuffled_indices(50, 4));
  std::sort(order.begin(), order.end());
  for (std::int64_t i = 0; i < 50; ++i) EXPECT_EQ(order[i], i);
}

TEST(TrainTestSplit, ShuffledSplitKeepsRowsTogetherDisjointAndComplete) {
  const Tensor x = row_ids(10);
  const Tensor y = Tensor::from_vector<float>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {10, 1});
  const TrainTestSplit split = train_test_split(x, y, 0.25, 5);
  EXPECT_EQ(split.x_train.dim(0), 7);  // ceil(0.25 * 10) = 3 test rows, as scikit-learn
  EXPECT_EQ(split.x_test.dim(0), 3);
  std::vector<std::int32_t> all = first_column(split.x_train);
  const std::vector<std::int32_t> test = first_column(split.x_test);
  all.insert(all.end(), test.begin(), test.end());
  EXPECT_EQ(std::set<std::int32_t>(all.begin(), all.end()).size(), 10u);
  EXPECT_NE(first_column(split.x_test), (std::vector<std::int32_t>{7, 8, 9}));
  // y follows x row for row.
  const std::vector<float> y_test = split.y_test.to_vector<float>();
  for (std::size_t i = 0; i < test.size(); ++i) EXPECT_EQ(y_test[i], static_cast<float>(test[i]));
  EXPECT_EQ(first_column(train_test_split(x, y, 0.25, 5).x_test), test);
}

TEST(TrainTestSplit, WithoutShuffleTheLastRowsAreTheTestSet) {
  const TrainTestSplit split = train_test_split(row_ids(10), row_ids(10), 0.2, 0, false);
  EXPECT_EQ(first_column(split.x_test), (std::vector<std::int32_t>{8, 9}));
  testing::expect_error_mentions([] { train_test_split(row_ids(4), row_ids(3)); },
                                 {"same number of rows"});
  testing::expect_error_mentions([] { train_test_split(row_ids(4), row_ids(4), 1.0); },
                                 {"test_size in (0, 1)"});
}

TEST(TrainTestSplit, TextsSplitWithTheirLabels) {
  TextDataset data;
  for (int i = 0; i < 8; ++i) {
    data.texts.push_back("text " + std::to_string(i));
    data.labels.push_back(i);
  }
  const TextSplit split = train_test_split(data, 0.5, 9);
  ASSERT_EQ(split.train.texts.size(), 4u);
  ASSERT_EQ(split.test.texts.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(split.test.texts[i], "text " + std::to_string(split.test.labels[i]));
  }
}

TEST(KeepRandomRows, KeepsAFixedSubsampleOfPairedRows) {
  Tensor x = row_ids(20), y = row_ids(20);
  keep_random_rows(x, y, 5);
  EXPECT_EQ(x.dim(0), 5);
  EXPECT_EQ(first_column(x), first_column(y));
  Tensor again = row_ids(20), again_y = row_ids(20);
  keep_random_rows(again, again_y, 5);
  EXPECT_EQ(first_column(again), first_column(x));
  Tensor all = row_ids(3), all_y = row_ids(3);
  keep_random_rows(all, all_y, 0);
  EXPECT_EQ(all.dim(0), 3);
}

TEST(MajorityClass, IsTheMostFrequentLabelAndItsShare) {
  const MajorityClass floats = majority_class(Tensor::from_vector<float>({1, 0, 1, 1}, {4, 1}));
  EXPECT_EQ(floats.label, 1);
  EXPECT_DOUBLE_EQ(floats.share, 0.75);
  const MajorityClass tie = majority_class(std::vector<std::int32_t>{3, 2, 3, 2});
  EXPECT_EQ(tie.label, 2);  // the smallest on a tie
  EXPECT_DOUBLE_EQ(tie.share, 0.5);
  testing::expect_error_mentions([] { majority_class(Tensor::from_vector<float>({0.5f}, {1})); },
                                 {"whole-number"});
}

}  // namespace
}  // namespace cuseq
