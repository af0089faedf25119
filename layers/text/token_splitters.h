// Streaming splitters for the corpus tokenizer: fed the text in arbitrary
// chunks, they emit the same tokens as if they saw it whole (a character or
// word cut by a chunk boundary is carried over).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "layers/text/utf8.h"

namespace cuseq::detail {

// Characters as packed keys: the bytes of the character, first byte most
// significant. A UTF-8 lead byte fixes the length, so keys of different byte
// strings never collide and unpack_character() recovers the bytes.
class CharacterSplitter {
 public:
  CharacterSplitter(bool utf8, bool lower) : utf8_(utf8), lower_(lower) {}

  template <class Emit>
  void feed(const unsigned char* bytes, std::size_t count, Emit&& emit) {
    for (std::size_t i = 0; i < count; ++i) {
      const unsigned char byte = lower_ ? ascii_lower(bytes[i]) : bytes[i];
      if (!utf8_) {
        emit(std::uint32_t{byte});
        continue;
      }
      if (pending_count_ > 0) {
        if ((byte & 0xC0) == 0x80) {
          pending_ = (pending_ << 8) | byte;
          if (++pending_count_ == needed_) finish(emit);
          continue;
        }
        finish(emit);  // a truncated sequence is a token of its own
      }
      needed_ = static_cast<int>(utf8_sequence_length(byte));
      pending_ = byte;
      pending_count_ = 1;
      if (needed_ == 1) finish(emit);
    }
  }

  // End of a file: a character cut short by it is emitted as it is.
  template <class Emit>
  void finish(Emit&& emit) {
    if (pending_count_ == 0) return;
    emit(pending_);
    pending_count_ = 0;
  }

 private:
  bool utf8_;
  bool lower_;
  std::uint32_t pending_ = 0;
  int pending_count_ = 0;
  int needed_ = 0;
};

inline std::string unpack_character(std::uint32_t key) {
  std::string bytes;
  int count = 1;
  while (count < 4 && (key >> (8 * count)) != 0) ++count;
  for (int b = count - 1; b >= 0; --b) bytes += static_cast<char>((key >> (8 * b)) & 0xFF);
  return bytes;
}

// Words: runs of bytes other than ' ', \t, \r, \v, \f and \n; each \n is a
// token "\n" of its own, so a language model sees line structure. Deliberately
// not Keras' text_to_word_sequence (WordSplitter in word_splitter.h): no
// punctuation filters, and it streams instead of needing the whole text.
class WordSplitterStream {
 public:
  explicit WordSplitterStream(bool lower) : lower_(lower) {}

  template <class Emit>
  void feed(const unsigned char* bytes, std::size_t count, Emit&& emit) {
    for (std::size_t i = 0; i < count; ++i) {
      const unsigned char byte = bytes[i];
      if (byte == ' ' || byte == '\t' || byte == '\r' || byte == '\v' || byte == '\f' ||
          byte == '\n') {
        finish(emit);
        if (byte == '\n') emit(newline_);
      } else {
        word_ += static_cast<char>(lower_ ? ascii_lower(byte) : byte);
      }
    }
  }

  template <class Emit>
  void finish(Emit&& emit) {
    if (word_.empty()) return;
    emit(word_);
    word_.clear();
  }

 private:
  bool lower_;
  std::string word_;
  const std::string newline_ = "\n";
};

}  // namespace cuseq::detail
