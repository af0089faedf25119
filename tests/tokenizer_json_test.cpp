// Tokenizer.to_json / tokenizer_from_json, against the JSON and the ids of
// Keras' own Tokenizer (tests/data/keras/tokenizer*.json, written by
// keras_preprocessing through tools/make_keras_fixtures.sh).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "test_support.h"

namespace cuseq {
namespace {

const std::string kFixtures = std::string(CUSEQ_TEST_DATA_DIR) + "/keras/";

std::string file_text(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

nlohmann::json keras_expected() {
  return nlohmann::json::parse(file_text(kFixtures + "tokenizer_expected.json"));
}

TEST(TokenizerJson, KerasTokenizerJsonGivesKerasIds) {
  const Tokenizer tokenizer = tokenizer_from_json(file_text(kFixtures + "tokenizer.json"));
  const nlohmann::json expected = keras_expected();
  const auto texts = expected.at("texts").get<std::vector<std::string>>();
  EXPECT_EQ(tokenizer.texts_to_sequences(texts),
            (expected.at("sequences").get<std::vector<std::vector<std::int32_t>>>()));
  EXPECT_EQ(tokenizer.num_words(), 6);
  EXPECT_EQ(tokenizer.oov_token(), "<oov>");
  EXPECT_EQ(tokenizer.document_count(), 5);
  const std::vector<float> ours = tokenizer.texts_to_matrix(texts, "tfidf").to_vector<float>();
  std::vector<double> keras;
  for (const auto& row : expected.at("tfidf")) {
    for (const double value : row) keras.push_back(value);
  }
  testing::expect_all_near(std::vector<double>(ours.begin(), ours.end()), keras, 1e-5, "tfidf");
}

TEST(TokenizerJson, FittingInCuseqWritesKerasWordIndexAndCounts) {
  const nlohmann::json expected = keras_expected();
  // Keras lower-cases all of Unicode, cuseq ASCII only: fit on the ASCII texts.
  std::vector<std::string> texts = expected.at("fitted_on").get<std::vector<std::string>>();
  texts.erase(texts.begin() + 3);
  Tokenizer ours(6, kDefaultTextFilters, true, " ", false, "<oov>");
  ours.fit_on_texts(texts);
  const nlohmann::json keras = nlohmann::json::parse(file_text(kFixtures + "tokenizer.json"));
  const nlohmann::json written = nlohmann::json::parse(ours.to_json());
  EXPECT_EQ(written.at("class_name"), "Tokenizer");
  for (const char* key : {"num_words", "filters", "lower", "split", "char_level", "oov_token"}) {
    EXPECT_EQ(written["config"][key], keras["config"][key]) << key;
  }
  // Keras' counts without the one text left out.
  nlohmann::json counts = nlohmann::json::parse(keras["config"]["word_counts"].get<std::string>());
  for (const char* word : {"\u00fcn\u00efcode", "w\u00f6rds", "stay", "whole"}) counts.erase(word);
  EXPECT_EQ(nlohmann::json::parse(written["config"]["word_counts"].get<std::string>()), counts);
  const nlohmann::json index =
      nlohmann::json::parse(written["config"]["word_index"].get<std::string>());
  const nlohmann::json keras_index =
      nlohmann::json::parse(keras["config"]["word_index"].get<std::string>());
  for (const auto& [word, id] : index.items()) EXPECT_EQ(id, keras_index.at(word)) << word;
}

TEST(TokenizerJson, RoundTripKeepsEverythingThatMapsTexts) {
  Tokenizer original(0, kDefaultTextFilters, true, " ", false, "");
  original.fit_on_texts({"b a a c", "c c c d b", "e"});
  const Tokenizer copy = Tokenizer::from_json(original.to_json());
  const std::vector<std::string> texts = {"a b c d e f", "c c"};
  EXPECT_EQ(copy.texts_to_sequences(texts), original.texts_to_sequences(texts));
  EXPECT_EQ(copy.word_index(), original.word_index());
  EXPECT_EQ(copy.index_word(), original.index_word());
  EXPECT_EQ(copy.word_counts(), original.word_counts());
  EXPECT_EQ(copy.word_docs(), original.word_docs());
  EXPECT_EQ(copy.document_count(), original.document_count());
  EXPECT_EQ(copy.texts_to_matrix(texts, "tfidf").to_vector<float>(),
            original.texts_to_matrix(texts, "tfidf").to_vector<float>());
  // Fitting goes on from the restored counts as it would have on the original.
  Tokenizer more = Tokenizer::from_json(original.to_json());
  original.fit_on_texts({"d d d d d"});
  more.fit_on_texts({"d d d d d"});
  EXPECT_EQ(more.word_index(), original.word_index());
}

TEST(TokenizerJson, SaveAndLoadGoThroughAFile) {
  Tokenizer tokenizer(3, kDefaultTextFilters, true, " ", true);  // char level
  tokenizer.fit_on_texts({"abba", "cab"});
  const std::string path =
      ::testing::TempDir() + "cuseq_tokenizer_" + std::to_string(::getpid()) + ".json";
  save_tokenizer(tokenizer, path);
  const Tokenizer loaded = load_tokenizer(path);
  std::remove(path.c_str());
  EXPECT_TRUE(loaded.char_level());
  EXPECT_EQ(loaded.texts_to_sequences({"abc"}), tokenizer.texts_to_sequences({"abc"}));
  testing::expect_error_mentions([&] { load_tokenizer(path); }, {path});
}

TEST(TokenizerJson, InconsistentJsonIsRejectedWithTheReason) {
  testing::expect_error_mentions([] { tokenizer_from_json("{\"class_name\": \"Other\"}"); },
                                 {"tokenizer_from_json", "Tokenizer"});
  const std::string two_words_one_index =
      R"({"class_name": "Tokenizer", "config": {"word_counts": "{}", "word_docs": "{}",
          "index_docs": "{}", "word_index": "{\"a\": 1, \"b\": 1}"}})";
  testing::expect_error_mentions([&] { tokenizer_from_json(two_words_one_index); },
                                 {"index 1", "\"a\"", "\"b\""});
  const std::string index_too_large =
      R"({"class_name": "Tokenizer", "config": {"word_counts": "{}", "word_docs": "{}",
          "index_docs": "{}", "word_index": "{\"a\": 2000000000}"}})";
  testing::expect_error_mentions([&] { tokenizer_from_json(index_too_large); },
                                 {"\"a\"", "2000000000", "1 to 1"});
  testing::expect_error_mentions([] { tokenizer_from_json("{not json"); }, {"not valid JSON"});
}

}  // namespace
}  // namespace cuseq
