#include "cuseq/tokenizer.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string_view>

#include "cuseq/error.h"
#include "layers/text/word_splitter.h"

namespace cuseq {
namespace {

constexpr const char* kWhere = "Tokenizer";

// Visits the tokens of texts: characters in char_level mode (no filters, as in
// Keras), otherwise text_to_word_sequence's words.
class TokenVisitor {
 public:
  TokenVisitor(bool char_level, const std::string& filters, bool lower, const std::string& split)
      : lower_(lower) {
    if (!char_level) splitter_.emplace(filters, lower, split, kWhere);
  }

  template <class Visit>
  void operator()(const std::string& text, Visit&& visit) const {
    if (splitter_) {
      splitter_->for_each_word(text, visit);
    } else {
      detail::for_each_character(text, lower_, visit);
    }
  }

 private:
  bool lower_;
  std::optional<detail::WordSplitter> splitter_;
};

enum class MatrixMode { binary, count, freq, tfidf };

MatrixMode parse_matrix_mode(const std::string& mode) {
  if (mode == "binary") return MatrixMode::binary;
  if (mode == "count") return MatrixMode::count;
  if (mode == "freq") return MatrixMode::freq;
  if (mode == "tfidf") return MatrixMode::tfidf;
  fail(kWhere, "unknown matrix mode \"", mode, "\"; expected binary, count, freq or tfidf");
}

}  // namespace

Tokenizer::Tokenizer(int num_words, std::string filters, bool lower, std::string split,
                     bool char_level, std::string oov_token)
    : num_words_(num_words),
      filters_(std::move(filters)),
      lower_(lower),
      split_(std::move(split)),
      char_level_(char_level),
      oov_token_(std::move(oov_token)) {
  check(num_words_ >= 0, kWhere, "num_words must be >= 0 (0 keeps every word), got ", num_words_);
  detail::WordSplitter(filters_, lower_, split_, kWhere);  // validates split now, not at first use
}

void Tokenizer::fit_on_texts(const std::vector<std::string>& texts) {
  const TokenVisitor for_each_token(char_level_, filters_, lower_, split_);
  std::string key;  // reused, so a known word costs no allocation
  for (const std::string& text : texts) {
    const std::int64_t document = document_count_++;
    for_each_token(text, [&](std::string_view token) {
      key.assign(token);
      const auto [found, inserted] = vocabulary_position_.try_emplace(key, vocabulary_.size());
      if (inserted) vocabulary_.push_back(WordStats{key});
      WordStats& stats = vocabulary_[found->second];
      ++stats.count;
      if (stats.last_document != document) {
        stats.last_document = document;
        ++stats.documents;
      }
    });
  }
  rebuild_index();
}

// Keras sorts (word, count) pairs by count with Python's stable sort, puts the
// OOV token first and numbers from 1; a later duplicate of a word overwrites
// the earlier entry in word_index, as Python's dict(zip(...)) does.
void Tokenizer::rebuild_index() {
  std::vector<std::size_t> order(vocabulary_.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
    return vocabulary_[a].count > vocabulary_[b].count;
  });

  word_index_.clear();
  index_word_.assign(1, std::string());
  if (!oov_token_.empty()) index_word_.push_back(oov_token_);
  for (const std::size_t position : order) index_word_.push_back(vocabulary_[position].word);
  for (std::size_t index = 1; index < index_word_.size(); ++index) {
    word_index_[index_word_[index]] = static_cast<std::int32_t>(index);
  }

  index_docs_.assign(index_word_.size(), 0);
  for (const WordStats& stats : vocabulary_) {
    index_docs_[static_cast<std::size_t>(word_index_.at(stats.word))] = stats.documents;
  }
}

std::vector<std::vector<std::int32_t>> Tokenizer::texts_to_sequences(
    const std::vector<std::string>& texts) const {
  std::int32_t oov_index = 0;
  if (!oov_token_.empty()) {
    const auto found = word_index_.find(oov_token_);
    check(found != word_index_.end(), kWhere,
          "texts_to_sequences with an oov_token needs fit_on_texts first");
    oov_index = found->second;
  }
  const TokenVisitor for_each_token(char_level_, filters_, lower_, split_);
  std::string key;
  std::vector<std::vector<std::int32_t>> sequences;
  sequences.reserve(texts.size());
  for (const std::string& text : texts) {
    std::vector<std::int32_t> sequence;
    for_each_token(text, [&](std::string_view token) {
      key.assign(token);
      const auto found = word_index_.find(key);
      const bool kept =
          found != word_index_.end() && (num_words_ == 0 || found->second < num_words_);
      if (kept) {
        sequence.push_back(found->second);
      } else if (oov_index != 0) {
        sequence.push_back(oov_index);
      }
    });
    sequences.push_back(std::move(sequence));
  }
  return sequences;
}

std::vector<std::string> Tokenizer::sequences_to_texts(
    const std::vector<std::vector<std::int32_t>>& sequences) const {
  const auto oov = word_index_.find(oov_token_);
  const std::string* oov_word =
      oov_token_.empty() || oov == word_index_.end() ? nullptr : &index_word_[oov->second];
  std::vector<std::string> texts;
  texts.reserve(sequences.size());
  for (const std::vector<std::int32_t>& sequence : sequences) {
    std::vector<const std::string*> words;
    for (const std::int32_t index : sequence) {
      const bool known = index > 0 && static_cast<std::size_t>(index) < index_word_.size();
      if (known && (num_words_ == 0 || index < num_words_)) {
        words.push_back(&index_word_[static_cast<std::size_t>(index)]);
      } else if (oov_word != nullptr) {
        words.push_back(oov_word);
      }
    }
    std::string text;
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (i > 0) text += ' ';
      text += *words[i];
    }
    texts.push_back(std::move(text));
  }
  return texts;
}

Tensor Tokenizer::texts_to_matrix(const std::vector<std::string>& texts,
                                  const std::string& mode) const {
  return sequences_to_matrix(texts_to_sequences(texts), mode);
}

Tensor Tokenizer::sequences_to_matrix(const std::vector<std::vector<std::int32_t>>& sequences,
                                      const std::string& mode) const {
  const MatrixMode matrix_mode = parse_matrix_mode(mode);
  check(num_words_ > 0 || !word_index_.empty(), kWhere,
        "sequences_to_matrix needs num_words or fit_on_texts first");
  check(matrix_mode != MatrixMode::tfidf || document_count_ > 0, kWhere,
        "tfidf mode needs fit_on_texts first");
  const std::int64_t width =
      num_words_ > 0 ? num_words_ : static_cast<std::int64_t>(word_index_.size()) + 1;
  const auto rows = static_cast<std::int64_t>(sequences.size());

  Tensor matrix = Tensor::zeros(Shape{rows, width});
  auto* const values = matrix.data<float>();
  std::vector<std::int64_t> counts(static_cast<std::size_t>(width), 0);
  for (std::int64_t row = 0; row < rows; ++row) {
    const std::vector<std::int32_t>& sequence = sequences[static_cast<std::size_t>(row)];
    std::vector<std::int32_t> present;  // distinct in-range indices, to reset `counts` cheaply
    for (const std::int32_t index : sequence) {
      check(index >= 0, kWhere, "sequences_to_matrix: sequence ", row, " holds index ", index,
            "; indices must be >= 0");
      if (index >= width) continue;
      if (counts[static_cast<std::size_t>(index)]++ == 0) present.push_back(index);
    }
    float* out = values + row * width;
    for (const std::int32_t index : present) {
      auto& count = counts[static_cast<std::size_t>(index)];
      const auto c = static_cast<double>(count);
      double value = 1.0;
      if (matrix_mode == MatrixMode::count) {
        value = c;
      } else if (matrix_mode == MatrixMode::freq) {
        value = c / static_cast<double>(sequence.size());
      } else if (matrix_mode == MatrixMode::tfidf) {
        const std::int64_t documents = static_cast<std::size_t>(index) < index_docs_.size()
                                           ? index_docs_[static_cast<std::size_t>(index)]
                                           : 0;
        value = (1.0 + std::log(c)) * std::log(1.0 + static_cast<double>(document_count_) /
                                                         static_cast<double>(1 + documents));
      }
      out[index] = static_cast<float>(value);
      count = 0;
    }
  }
  return matrix;
}

std::vector<std::pair<std::string, std::int64_t>> Tokenizer::word_counts() const {
  std::vector<std::pair<std::string, std::int64_t>> counts;
  counts.reserve(vocabulary_.size());
  for (const WordStats& stats : vocabulary_) counts.emplace_back(stats.word, stats.count);
  return counts;
}

std::vector<std::pair<std::string, std::int64_t>> Tokenizer::word_docs() const {
  std::vector<std::pair<std::string, std::int64_t>> docs;
  docs.reserve(vocabulary_.size());
  for (const WordStats& stats : vocabulary_) docs.emplace_back(stats.word, stats.documents);
  return docs;
}

}  // namespace cuseq
