#include "layers/text/word_splitter.h"

#include <algorithm>
#include <utility>

#include "cuseq/error.h"

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

bool WordSplitter::is_filtered(const char* character, std::size_t length) const {
  const auto lead = static_cast<unsigned char>(character[0]);
  if (length == 1 && lead < 128) return ascii_filtered_[lead];
  return std::any_of(multibyte_filters_.begin(), multibyte_filters_.end(),
                     [&](const std::string& filter) {
                       return filter.compare(0, std::string::npos, character, length) == 0;
                     });
}

std::string WordSplitter::translate(const std::string& text) const {
  std::string translated;
  translated.reserve(text.size());
  for (std::size_t position = 0; position < text.size();) {
    const std::size_t length = utf8_char_length(text, position);
    const char lowered = lower_ && length == 1 ? ascii_lower(text[position]) : text[position];
    const char* character = length == 1 ? &lowered : text.data() + position;
    if (is_filtered(character, length)) {
      translated += split_;
    } else {
      translated.append(character, length);
    }
    position += length;
  }
  return translated;
}

std::vector<std::string> WordSplitter::words(const std::string& text) const {
  std::vector<std::string> words;
  for_each_word(text, [&words](std::string_view word) { words.emplace_back(word); });
  return words;
}

}  // namespace cuseq::detail
