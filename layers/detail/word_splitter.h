// Keras' text_to_word_sequence as a reusable object: the filter table is
// built once per Tokenizer call instead of once per text.
#pragma once

#include <string>
#include <vector>

namespace cuseq::detail {

class WordSplitter {
 public:
  // Throws cuseq::Error (naming `where`) when `split` is empty, as Python's
  // str.split("") refuses.
  WordSplitter(const std::string& filters, bool lower, std::string split, const std::string& where);

  // Lower-case (ASCII), replace every filter character by `split`, split on
  // `split` and drop the empty pieces.
  std::vector<std::string> words(const std::string& text) const;

 private:
  bool is_filtered(const std::string& text, std::size_t position, std::size_t length) const;

  bool ascii_filtered_[128] = {};
  std::vector<std::string> multibyte_filters_;  // UTF-8 characters beyond ASCII
  bool lower_;
  std::string split_;
};

// Python's iteration over a (lower-cased) string: one token per character.
std::vector<std::string> split_characters(const std::string& text, bool lower);

}  // namespace cuseq::detail
