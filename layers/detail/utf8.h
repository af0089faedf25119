// UTF-8 helpers for the text utilities: Keras works on Python strings (code
// points), so character-level tokens and filters must not cut a character.
#pragma once

#include <cstddef>
#include <string>

namespace cuseq::detail {

// Bytes taken by the UTF-8 character that starts at text[position]; a stray
// continuation or invalid byte counts as one character, so any input splits.
inline std::size_t utf8_char_length(const std::string& text, std::size_t position) {
  const auto lead = static_cast<unsigned char>(text[position]);
  std::size_t length = 1;
  if (lead >= 0xF0 && lead <= 0xF7) {
    length = 4;
  } else if (lead >= 0xE0) {
    length = lead <= 0xEF ? 3 : 1;
  } else if (lead >= 0xC0) {
    length = 2;
  }
  const std::size_t remaining = text.size() - position;
  return length < remaining ? length : remaining;
}

// ASCII lower-casing (Python's str.lower() also maps non-ASCII letters; we
// leave those bytes untouched so results never depend on the C locale).
inline void ascii_lower_in_place(std::string& text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

}  // namespace cuseq::detail
