// Pretrained word vectors (GloVe and word2vec text) into an embedding matrix.
#include "cuseq/pretrained_embeddings.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "test_support.h"

namespace cuseq {
namespace {

const std::string kDir = std::string(CUSEQ_TEST_DATA_DIR) + "/text/";

TEST(PretrainedEmbeddings, FillsRowsOfKnownWordsAndLeavesOthersZero) {
  // glove_tiny.txt: the (0.1 0.2 0.3), cat (1 2 3), zebra, sat (0.5 0.25 -0.125).
  const std::unordered_map<std::string, std::int32_t> word_index = {
      {"the", 1}, {"cat", 2}, {"dog", 3}, {"sat", 4}};
  const EmbeddingMatrix result = load_embedding_matrix(kDir + "glove_tiny.txt", word_index, 5);
  EXPECT_EQ(result.dim, 3);
  EXPECT_EQ(result.words_found, 3);  // the, cat, sat; dog is not in the file
  EXPECT_EQ(result.weights.shape(), (Shape{5, 3}));
  testing::expect_all_near(result.weights.to_vector<float>(),
                           std::vector<double>{0, 0, 0,             // 0: padding
                                               0.1, 0.2, 0.3,       // the
                                               1, 2, 3,             // cat
                                               0, 0, 0,             // dog: not found
                                               0.5, 0.25, -0.125},  // sat
                           1e-7);
}

TEST(PretrainedEmbeddings, SkipsIndicesAtOrAboveNumWords) {
  const std::unordered_map<std::string, std::int32_t> word_index = {{"the", 1}, {"sat", 4}};
  const EmbeddingMatrix result = load_embedding_matrix(kDir + "glove_tiny.txt", word_index, 3);
  EXPECT_EQ(result.weights.shape(), (Shape{3, 3}));
  EXPECT_EQ(result.words_found, 1);
}

TEST(PretrainedEmbeddings, UsesATokenizersWordIndexAndWholeVocabulary) {
  Tokenizer tokenizer;
  tokenizer.fit_on_texts({"cat cat dog"});  // cat 1, dog 2
  const EmbeddingMatrix result = load_embedding_matrix(kDir + "glove_tiny.txt", tokenizer);
  EXPECT_EQ(result.weights.shape(), (Shape{3, 3}));
  EXPECT_EQ(result.words_found, 1);
  EXPECT_EQ(result.weights[1].to_vector<float>(), (std::vector<float>{1, 2, 3}));
}

TEST(PretrainedEmbeddings, SkipsTheWord2vecHeaderLine) {
  // word2vec_tiny.vec: "3 2", then the (1 2), cat (3 4), dog (5 6), each with a trailing space.
  const std::unordered_map<std::string, std::int32_t> word_index = {{"dog", 1}, {"the", 2}};
  const EmbeddingMatrix result = load_embedding_matrix(kDir + "word2vec_tiny.vec", word_index);
  EXPECT_EQ(result.dim, 2);
  EXPECT_EQ(result.words_found, 2);
  EXPECT_EQ(result.weights.to_vector<float>(), (std::vector<float>{0, 0, 5, 6, 1, 2}));
}

TEST(PretrainedEmbeddings, CorruptFilesNameTheFileAndLine) {
  const std::unordered_map<std::string, std::int32_t> word_index = {{"the", 1}};
  testing::expect_error_mentions(
      [&] { load_embedding_matrix(kDir + "glove_wrong_count.txt", word_index); },
      {"glove_wrong_count.txt", "line 3", "expected 3 values", "got 2"});
  testing::expect_error_mentions(
      [&] { load_embedding_matrix(kDir + "glove_not_a_number.txt", word_index); },
      {"glove_not_a_number.txt", "line 2", "\"two\"", "not a number"});
  testing::expect_error_mentions(
      [&] { load_embedding_matrix(kDir + "word2vec_truncated.vec", word_index); },
      {"word2vec_truncated.vec", "announces 5", "holds 2"});
  testing::expect_error_mentions([&] { load_embedding_matrix(kDir + "missing.txt", word_index); },
                                 {"load_embedding_matrix", "missing.txt"});
}

}  // namespace
}  // namespace cuseq
