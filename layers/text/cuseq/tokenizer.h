// Keras' Tokenizer (keras.preprocessing.text.Tokenizer): builds a vocabulary
// ranked by word frequency and turns texts into index sequences or matrices.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cuseq/export.h"
#include "cuseq/tensor.h"
#include "cuseq/text.h"

namespace cuseq {

class CUSEQ_API Tokenizer {
 public:
  // num_words: keep only the num_words - 1 most frequent words in sequences
  // and matrices (0 = all, Keras' None). oov_token: "" = none (Keras' None);
  // otherwise it takes index 1 and stands for every word not kept.
  // char_level: every character (UTF-8 code point) is a token and `filters`
  // is not applied, as in Keras.
  explicit Tokenizer(int num_words = 0, std::string filters = kDefaultTextFilters,
                     bool lower = true, std::string split = " ", bool char_level = false,
                     std::string oov_token = "");

  // Counts words (adds to earlier calls) and re-ranks the vocabulary: index 1
  // is the most frequent word (after the OOV token), ties in order of first
  // appearance; 0 is never assigned.
  void fit_on_texts(const std::vector<std::string>& texts);

  // One index sequence per text: words not in word_index, or whose index is
  // >= num_words, are dropped (or become the OOV index with an oov_token).
  std::vector<std::vector<std::int32_t>> texts_to_sequences(
      const std::vector<std::string>& texts) const;
  // The inverse, words joined by " " (same num_words / OOV rules).
  std::vector<std::string> sequences_to_texts(
      const std::vector<std::vector<std::int32_t>>& sequences) const;

  // float32 [texts, width] with width = num_words, or word_index().size() + 1
  // when num_words is 0. mode: "binary" (1 where present), "count", "freq"
  // (count / sequence length), "tfidf" ((1 + ln count) *
  // ln(1 + document_count / (1 + documents containing the word))).
  Tensor texts_to_matrix(const std::vector<std::string>& texts,
                         const std::string& mode = "binary") const;
  Tensor sequences_to_matrix(const std::vector<std::vector<std::int32_t>>& sequences,
                             const std::string& mode = "binary") const;

  // word -> index (1-based), over the whole vocabulary (num_words does not cut it).
  const std::unordered_map<std::string, std::int32_t>& word_index() const { return word_index_; }
  // index -> word; entry 0 is "" (reserved for padding).
  const std::vector<std::string>& index_word() const { return index_word_; }
  // (word, occurrences) and (word, texts containing it), in order of first
  // appearance, like Keras' word_counts OrderedDict and word_docs.
  std::vector<std::pair<std::string, std::int64_t>> word_counts() const;
  std::vector<std::pair<std::string, std::int64_t>> word_docs() const;
  std::int64_t document_count() const { return document_count_; }

  int num_words() const { return num_words_; }
  const std::string& oov_token() const { return oov_token_; }
  bool char_level() const { return char_level_; }

  // Keras' tokenizer.to_json(): {"class_name": "Tokenizer", "config": {...}}
  // with word_counts, word_docs, index_docs, index_word and word_index as
  // JSON text inside, as keras.preprocessing.text writes them; Keras'
  // tokenizer_from_json reads it, and from_json reads what Keras wrote.
  // (Bytes of a word that are not UTF-8 become U+FFFD in the JSON.)
  std::string to_json() const;
  // The tokenizer a to_json() wrote, in cuseq or in Keras: the same word
  // index, counts and settings, so it maps texts to the same ids. Malformed
  // JSON or an inconsistent index is a cuseq::Error naming what is wrong.
  static Tokenizer from_json(const std::string& json);

 private:
  struct WordStats {
    std::string word;
    std::int64_t count = 0;
    std::int64_t documents = 0;
    std::int64_t last_document = -1;  // so each text adds to `documents` once
  };

  void rebuild_index();

  int num_words_;
  std::string filters_;
  bool lower_;
  std::string split_;
  bool char_level_;
  std::string oov_token_;

  std::vector<WordStats> vocabulary_;  // first-appearance order
  std::unordered_map<std::string, std::size_t> vocabulary_position_;
  std::int64_t document_count_ = 0;
  std::unordered_map<std::string, std::int32_t> word_index_;
  std::vector<std::string> index_word_;
  std::vector<std::int64_t> index_docs_;  // by index: texts containing the word
};

// Keras' tokenizer_from_json.
CUSEQ_API Tokenizer tokenizer_from_json(const std::string& json);
// to_json() written to `path` atomically, and read back, with errors naming the path.
CUSEQ_API void save_tokenizer(const Tokenizer& tokenizer, const std::string& path);
CUSEQ_API Tokenizer load_tokenizer(const std::string& path);

}  // namespace cuseq
