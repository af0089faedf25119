// UTF-8 helpers for the text utilities: Keras works on Python strings (code
// points), so character-level tokens and filters must not cut a character.
#pragma once

#include <cstddef>
#include <string>

namespace cuseq::detail {

// Bytes of the UTF-8 character that `lead` starts: 1 for ASCII and for a stray
// continuation or invalid byte, which stands alone, so any input splits.
inline std::size_t utf8_sequence_length(unsigned char lead) {
  if (lead >= 0xC0 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF7) return 4;
  return 1;
}

// Bytes taken by the UTF-8 character that starts at text[position], cut short
// by the end of the text.
inline std::size_t utf8_char_length(const std::string& text, std::size_t position) {
  const std::size_t length = utf8_sequence_length(static_cast<unsigned char>(text[position]));
  const std::size_t remaining = text.size() - position;
  return length < remaining ? length : remaining;
}

// ASCII lower-casing (Python's str.lower() also maps non-ASCII letters; we
// leave those bytes untouched so results never depend on the C locale).
// Byte is char or unsigned char.
template <class Byte>
Byte ascii_lower(Byte c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<Byte>(c - 'A' + 'a') : c;
}

inline void ascii_lower_in_place(std::string& text) {
  for (char& c : text) c = ascii_lower(c);
}

}  // namespace cuseq::detail
