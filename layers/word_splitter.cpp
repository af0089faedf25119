#include "layers/detail/word_splitter.h"

#include <algorithm>
#include <utility>

#include "cuseq/error.h"
#include "layers/detail/utf8.h"

namespace cuseq::detail {

WordSplitter::WordSplitter(const std::string& filters, bool lower, std::string split,
                           const std::string& where)
    : lower_(lower), split_(std::move(split)) {
  check(!split_.empty(), where, "split must be a non-empty separator, got \"\"");
  for (std::size_t position = 0; position < filters.size();) {
    const std::size_t length = utf8_char_length(filters, position);
    const auto lead = static_cast<unsigned char>(filters[position]);
    if (length == 1 && lead < 128) {
      ascii_filtered_[lead] = true;
    } else {
      multibyte_filters_.push_back(filters.substr(position, length));
    }
    position += length;
  }
}

bool WordSplitter::is_filtered(const std::string& text, std::size_t position,
                               std::size_t length) const {
  const auto lead = static_cast<unsigned char>(text[position]);
  if (length == 1 && lead < 128) return ascii_filtered_[lead];
  return std::any_of(
      multibyte_filters_.begin(), multibyte_filters_.end(),
      [&](const std::string& filter) { return text.compare(position, length, filter) == 0; });
}

std::vector<std::string> WordSplitter::words(const std::string& raw_text) const {
  // As Keras: lower-case first, then filter (so an upper-case filter character never matches).
  std::string text = raw_text;
  if (lower_) ascii_lower_in_place(text);
  std::string translated;
  translated.reserve(text.size());
  for (std::size_t position = 0; position < text.size();) {
    const std::size_t length = utf8_char_length(text, position);
    if (is_filtered(text, position, length)) {
      translated += split_;
    } else {
      translated.append(text, position, length);
    }
    position += length;
  }

  std::vector<std::string> words;
  std::size_t begin = 0;
  while (begin <= translated.size()) {
    std::size_t end = translated.find(split_, begin);
    if (end == std::string::npos) end = translated.size();
    if (end > begin) words.emplace_back(translated, begin, end - begin);
    begin = end + split_.size();
  }
  return words;
}

std::vector<std::string> split_characters(const std::string& text, bool lower) {
  std::string lowered = text;
  if (lower) ascii_lower_in_place(lowered);
  std::vector<std::string> characters;
  for (std::size_t position = 0; position < lowered.size();) {
    const std::size_t length = utf8_char_length(lowered, position);
    characters.emplace_back(lowered, position, length);
    position += length;
  }
  return characters;
}

}  // namespace cuseq::detail
