// Keras' text_to_word_sequence as a reusable object: the filter table is
// built once per Tokenizer call instead of once per text, and words are
// visited as views so that counting them allocates nothing per word.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "layers/text/utf8.h"

namespace cuseq::detail {

class WordSplitter {
 public:
  // Throws cuseq::Error (naming `where`) when `split` is empty, as Python's
  // str.split("") refuses.
  WordSplitter(const std::string& filters, bool lower, std::string split, const std::string& where);

  // Lower-case (ASCII), replace every filter character by `split`, split on
  // `split` and call visit(std::string_view) for each non-empty word.
  template <class Visit>
  void for_each_word(const std::string& text, Visit&& visit) const {
    const std::string translated = translate(text);
    const std::string_view view(translated);
    std::size_t begin = 0;
    while (begin <= view.size()) {
      std::size_t end = view.find(split_, begin);
      if (end == std::string_view::npos) end = view.size();
      if (end > begin) visit(view.substr(begin, end - begin));
      begin = end + split_.size();
    }
  }

  std::vector<std::string> words(const std::string& text) const;

 private:
  // The text lower-cased, then with each filter character replaced by split_
  // (Keras' order: an upper-case filter character never matches).
  std::string translate(const std::string& text) const;
  bool is_filtered(const char* character, std::size_t length) const;

  bool ascii_filtered_[128] = {};
  std::vector<std::string> multibyte_filters_;  // UTF-8 characters beyond ASCII
  bool lower_;
  std::string split_;
};

// Python's iteration over a (lower-cased) string: visit(std::string_view)
// once per UTF-8 character.
template <class Visit>
void for_each_character(const std::string& text, bool lower, Visit&& visit) {
  std::string lowered = text;
  if (lower) ascii_lower_in_place(lowered);
  const std::string_view view(lowered);
  for (std::size_t position = 0; position < view.size();) {
    const std::size_t length = utf8_char_length(lowered, position);
    visit(view.substr(position, length));
    position += length;
  }
}

}  // namespace cuseq::detail
