// Labelled text loaders: aclImdb folders, CSV/TSV fixtures and the shipped
// fine-food reviews.
#include "cuseq/text_datasets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "test_support.h"

namespace cuseq {
namespace {

using Texts = std::vector<std::string>;
using Labels = std::vector<std::int32_t>;
const std::string kDir = std::string(CUSEQ_TEST_DATA_DIR) + "/text/";

TEST(LoadTextDirectory, ReadsNegThenPosTextFilesInNameOrder) {
  const TextDataset data = load_text_directory(kDir + "aclimdb_tiny");
  // neg/README.md and unsup/ are not part of the data set.
  EXPECT_EQ(data.texts, (Texts{"I want my money back.", "Dull and far too long.",
                               "A wonderful film, I loved it.",
                               "Best movie of the year!\nSee it twice.", "Good acting."}));
  EXPECT_EQ(data.labels, (Labels{0, 0, 1, 1, 1}));
}

TEST(LoadTextDirectory, NamesAMissingClassFolder) {
  testing::expect_error_mentions([] { load_text_directory(kDir + "aclimdb_tiny/pos"); },
                                 {"load_text_directory", "aclimdb_tiny/pos/neg"});
}

TEST(LoadTextCsv, PicksColumnsByNameAndMapsThePositiveLabel) {
  CsvTextOptions options;
  options.text_column = "review";
  options.label_column = "sentiment";
  options.positive_label = "great";
  const TextDataset data = load_text_csv(kDir + "tricky_quoting.csv", options);
  EXPECT_EQ(data.texts, (Texts{"Great, really great", "She said \"wow\"", "line one\nline two",
                               "plain text", ""}));
  EXPECT_EQ(data.labels, (Labels{1, 0, 1, 0, 1}));
}

TEST(LoadTextCsv, KeepsOnlyRowsMatchingTheFilter) {
  CsvTextOptions options;
  options.text_column = "review";
  options.label_column = "sentiment";
  options.label_map = {{"great", 1}, {"other", 0}};
  options.filter_column = "split";
  options.filter_values = {"test"};
  const TextDataset data = load_text_csv(kDir + "tricky_quoting.csv", options);
  EXPECT_EQ(data.texts, (Texts{"line one\nline two"}));
  EXPECT_EQ(data.labels, (Labels{1}));
}

TEST(LoadTextCsv, KeepsRowsMatchingAnyOfSeveralFilterValues) {
  CsvTextOptions options;
  options.text_column = "id";
  options.label_column = "id";
  options.filter_column = "split";
  options.filter_values = {"test", "train"};
  EXPECT_EQ(load_text_csv(kDir + "tricky_quoting.csv", options).texts.size(), 5u);
  options.filter_values = {"validation"};
  EXPECT_TRUE(load_text_csv(kDir + "tricky_quoting.csv", options).texts.empty());
  options.filter_values.clear();
  testing::expect_error_mentions([&] { load_text_csv(kDir + "tricky_quoting.csv", options); },
                                 {"filter_values"});
}

TEST(LoadTextCsv, SkipOtherLabelsKeepsTheMappedSubsetOfClasses) {
  CsvTextOptions options;
  options.text_column = "review";
  options.label_column = "sentiment";
  options.label_map = {{"great", 0}};
  options.skip_other_labels = true;
  const TextDataset data = load_text_csv(kDir + "tricky_quoting.csv", options);
  EXPECT_EQ(data.texts, (Texts{"Great, really great", "line one\nline two", ""}));
  EXPECT_EQ(data.labels, (Labels{0, 0, 0}));
  options.label_map.clear();
  testing::expect_error_mentions([&] { load_text_csv(kDir + "tricky_quoting.csv", options); },
                                 {"skip_other_labels", "label_map"});
}

TEST(LoadTextCsv, ReadsTsvByExtensionWithIntegerLabels) {
  const TextDataset data = load_text_csv(kDir + "reviews.tsv");
  EXPECT_EQ(data.texts, (Texts{"first review", "tab\tinside", "third"}));
  EXPECT_EQ(data.labels, (Labels{1, 0, 2}));
}

TEST(LoadTextCsv, LabelErrorsNameTheFileAndLine) {
  testing::expect_error_mentions([] { load_text_csv(kDir + "bad_label.csv"); },
                                 {"bad_label.csv", "line 3", "\"yes\"", "not an integer"});
  CsvTextOptions options;
  options.text_column = "review";
  options.label_column = "sentiment";
  options.label_map = {{"great", 1}};
  testing::expect_error_mentions([&] { load_text_csv(kDir + "tricky_quoting.csv", options); },
                                 {"tricky_quoting.csv", "line 3", "\"other\"", "label_map"});
  options.positive_label = "great";
  testing::expect_error_mentions([&] { load_text_csv(kDir + "tricky_quoting.csv", options); },
                                 {"load_text_csv", "not both"});
  options = CsvTextOptions{};
  testing::expect_error_mentions(
      [&] { load_text_csv(kDir + "tricky_quoting.csv", options); },
      {"tricky_quoting.csv", "\"text\"", "id, review, sentiment, split"});
}

// The shipped data (data/README.md): 4,000 train rows (2,600 great) and
// 1,000 test rows (658 great).
TEST(SmallFineFoods, HasTheDocumentedSplitsAndClassBalance) {
  CsvTextOptions options;
  options.text_column = "review";
  options.label_column = "score";
  options.positive_label = "great";
  options.filter_column = "split";
  const std::string path = std::string(CUSEQ_PROJECT_DATA_DIR) + "/small_fine_foods.csv";
  const std::vector<std::tuple<std::string, int, int>> splits = {{"train", 4000, 2600},
                                                                 {"test", 1000, 658}};
  for (const auto& [split, rows, great] : splits) {
    options.filter_values = {split};
    const TextDataset data = load_text_csv(path, options);
    EXPECT_EQ(data.texts.size(), static_cast<std::size_t>(rows)) << split;
    EXPECT_EQ(std::count(data.labels.begin(), data.labels.end(), 1), great) << split;
  }
}

}  // namespace
}  // namespace cuseq
