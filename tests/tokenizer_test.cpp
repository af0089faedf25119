// Keras' Tokenizer: vocabulary ranking, sequences, matrices, OOV, char level.
#include "cuseq/tokenizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "test_support.h"

namespace cuseq {
namespace {

using Ids = std::vector<std::int32_t>;
using Counts = std::vector<std::pair<std::string, std::int64_t>>;
const std::vector<std::string> kBookSamples = {"The cat sat on the mat.",
                                               "The dog ate my homework."};

TEST(Tokenizer, RanksWordsByCountThenFirstAppearance) {
  // "the" occurs 3 times; every other word once, so they keep text order.
  Tokenizer tokenizer;
  tokenizer.fit_on_texts(kBookSamples);
  const std::vector<std::string> expected = {"the", "cat", "sat", "on",      "mat",
                                             "dog", "ate", "my",  "homework"};
  ASSERT_EQ(tokenizer.word_index().size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(tokenizer.word_index().at(expected[i]), static_cast<std::int32_t>(i + 1))
        << expected[i];
    EXPECT_EQ(tokenizer.index_word()[i + 1], expected[i]);
  }
  EXPECT_EQ(tokenizer.texts_to_sequences(kBookSamples),
            (std::vector<Ids>{{1, 2, 3, 4, 1, 5}, {1, 6, 7, 8, 9}}));
}

TEST(Tokenizer, BreaksCountTiesByFirstAppearanceNotAlphabet) {
  // y: 3, z: 3, x: 1; y appears before z.
  Tokenizer tokenizer;
  tokenizer.fit_on_texts({"x y y", "z z z y"});
  EXPECT_EQ(tokenizer.word_index().at("y"), 1);
  EXPECT_EQ(tokenizer.word_index().at("z"), 2);
  EXPECT_EQ(tokenizer.word_index().at("x"), 3);
}

TEST(Tokenizer, KeepsWordCountsAndDocsInFirstAppearanceOrder) {
  Tokenizer tokenizer;
  tokenizer.fit_on_texts({"x y y", "z z z y"});
  EXPECT_EQ(tokenizer.word_counts(), (Counts{{"x", 1}, {"y", 3}, {"z", 3}}));
  EXPECT_EQ(tokenizer.word_docs(), (Counts{{"x", 1}, {"y", 2}, {"z", 1}}));
  EXPECT_EQ(tokenizer.document_count(), 2);
}

TEST(Tokenizer, RepeatedFitsAccumulateCounts) {
  Tokenizer tokenizer;
  tokenizer.fit_on_texts({"a b"});
  tokenizer.fit_on_texts({"b c", "b"});
  EXPECT_EQ(tokenizer.word_counts(), (Counts{{"a", 1}, {"b", 3}, {"c", 1}}));
  EXPECT_EQ(tokenizer.word_index().at("b"), 1);
  EXPECT_EQ(tokenizer.document_count(), 3);
}

TEST(Tokenizer, NumWordsKeepsOnlyIndicesBelowIt) {
  Tokenizer tokenizer(3);
  tokenizer.fit_on_texts({"x y y", "z z z y"});  // y 1, z 2, x 3
  EXPECT_EQ(tokenizer.word_index().size(), 3u);  // the index itself is not cut
  EXPECT_EQ(tokenizer.texts_to_sequences({"x y z w"}), (std::vector<Ids>{{1, 2}}));
}

TEST(Tokenizer, OovTokenTakesIndexOneAndReplacesDroppedWords) {
  Tokenizer tokenizer(3, kDefaultTextFilters, true, " ", false, "<OOV>");
  tokenizer.fit_on_texts({"x y y", "z z z y"});  // <OOV> 1, y 2, z 3, x 4
  EXPECT_EQ(tokenizer.word_index().at("<OOV>"), 1);
  EXPECT_EQ(tokenizer.word_index().at("y"), 2);
  // x (4) and z (3) are >= num_words, w is unknown: all become 1.
  EXPECT_EQ(tokenizer.texts_to_sequences({"x y z w"}), (std::vector<Ids>{{1, 2, 1, 1}}));
  EXPECT_EQ(tokenizer.sequences_to_texts({{1, 2, 3}}), (std::vector<std::string>{"<OOV> y <OOV>"}));
}

TEST(Tokenizer, SequencesToTextsInvertsSequences) {
  Tokenizer tokenizer;
  tokenizer.fit_on_texts(kBookSamples);
  EXPECT_EQ(tokenizer.sequences_to_texts(tokenizer.texts_to_sequences(kBookSamples)),
            (std::vector<std::string>{"the cat sat on the mat", "the dog ate my homework"}));
}

TEST(Tokenizer, CharLevelCountsEveryCharacterWithoutFilters) {
  Tokenizer tokenizer(0, kDefaultTextFilters, true, " ", true);
  tokenizer.fit_on_texts({"Aba! \xC3\xA9"});  // a 2, b 1, ! 1, space 1, é 1 (one token)
  EXPECT_EQ(tokenizer.word_index().size(), 5u);
  EXPECT_EQ(tokenizer.word_index().at("a"), 1);
  EXPECT_EQ(tokenizer.word_index().at("b"), 2);
  EXPECT_EQ(tokenizer.word_index().at("!"), 3);
  EXPECT_EQ(tokenizer.word_index().at(" "), 4);
  EXPECT_EQ(tokenizer.word_index().at("\xC3\xA9"), 5);
  EXPECT_EQ(tokenizer.texts_to_sequences({"B!a"}), (std::vector<Ids>{{2, 3, 1}}));
}

// Texts "a a b" and "b c": counts a 2, b 2, c 1 -> a 1, b 2, c 3; width 4.
class TokenizerMatrix : public ::testing::Test {
 protected:
  void SetUp() override { tokenizer_.fit_on_texts(texts_); }
  std::vector<float> matrix(const std::string& mode) {
    const Tensor m = tokenizer_.texts_to_matrix(texts_, mode);
    EXPECT_EQ(m.shape(), (Shape{2, 4}));
    EXPECT_EQ(m.dtype(), DType::float32);
    return m.to_vector<float>();
  }
  const std::vector<std::string> texts_ = {"a a b", "b c"};
  Tokenizer tokenizer_;
};

TEST_F(TokenizerMatrix, BinaryMarksPresentWords) {
  EXPECT_EQ(matrix("binary"), (std::vector<float>{0, 1, 1, 0, 0, 0, 1, 1}));
}

TEST_F(TokenizerMatrix, CountCountsOccurrences) {
  EXPECT_EQ(matrix("count"), (std::vector<float>{0, 2, 1, 0, 0, 0, 1, 1}));
}

TEST_F(TokenizerMatrix, FreqDividesBySequenceLength) {
  testing::expect_all_near(matrix("freq"),
                           std::vector<double>{0, 2.0 / 3, 1.0 / 3, 0, 0, 0, 0.5, 0.5}, 1e-6);
}

TEST_F(TokenizerMatrix, TfidfUsesKerasWeighting) {
  // tf = 1 + ln(count), idf = ln(1 + documents / (1 + documents with the word)):
  // a (count 2, in 1 doc): (1 + ln 2) * ln(1 + 2/2) = 1.693147 * 0.693147 = 1.173600
  // b (count 1, in 2 docs): 1 * ln(1 + 2/3) = 0.510826
  // c (count 1, in 1 doc):  1 * ln 2 = 0.693147
  const double a = (1 + std::log(2.0)) * std::log(2.0);
  const double b = std::log(1 + 2.0 / 3.0);
  const double c = std::log(2.0);
  EXPECT_NEAR(a, 1.173600, 1e-6);
  testing::expect_all_near(matrix("tfidf"), std::vector<double>{0, a, b, 0, 0, 0, b, c}, 1e-6);
}

TEST_F(TokenizerMatrix, NumWordsSetsTheWidthAndDropsLargerIndices) {
  Tokenizer narrow(3);
  narrow.fit_on_texts(texts_);
  const Tensor m = narrow.sequences_to_matrix({{1, 2, 3, 7}}, "count");
  EXPECT_EQ(m.shape(), (Shape{1, 3}));
  EXPECT_EQ(m.to_vector<float>(), (std::vector<float>{0, 1, 1}));
}

TEST(Tokenizer, RejectsBadArguments) {
  Tokenizer fitted;
  fitted.fit_on_texts({"a b"});
  testing::expect_error_mentions([&] { fitted.texts_to_matrix({"a"}, "onehot"); },
                                 {"Tokenizer", "onehot", "binary"});
  testing::expect_error_mentions(
      [&] {
        fitted.sequences_to_matrix({{1, -2}});
      },
      {"Tokenizer", "-2"});
  testing::expect_error_mentions([] { Tokenizer(10).texts_to_matrix({"a"}, "tfidf"); },
                                 {"Tokenizer", "tfidf", "fit_on_texts"});
  testing::expect_error_mentions([] { Tokenizer().texts_to_matrix({"a"}); },
                                 {"Tokenizer", "num_words"});
  testing::expect_error_mentions([] { Tokenizer(-1); }, {"Tokenizer", "num_words", "-1"});
  testing::expect_error_mentions([] { Tokenizer(0, kDefaultTextFilters, true, ""); },
                                 {"Tokenizer", "split"});
}

}  // namespace
}  // namespace cuseq
