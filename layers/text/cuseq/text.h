// Keras' keras.preprocessing.text functions: word splitting, one_hot and the
// hashing trick. Text is UTF-8; lower-casing maps ASCII letters only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cuseq/export.h"

namespace cuseq {

// Keras' default `filters`: ASCII punctuation, tab and newline.
inline constexpr const char* kDefaultTextFilters = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n";

// Keras' text_to_word_sequence: lower-case, replace each character of
// `filters` by `split`, split on `split`, drop empty words.
CUSEQ_API std::vector<std::string> text_to_word_sequence(
    const std::string& text, const std::string& filters = kDefaultTextFilters, bool lower = true,
    const std::string& split = " ");

// Stable word hashes for the hashing trick (Python's built-in hash, Keras'
// default, is salted per process, so it is not offered).
enum class WordHash {
  // FNV-1a, 64-bit (offset basis 14695981039346656037, prime 1099511628211)
  // over the word's UTF-8 bytes. The default.
  fnv1a_64,
  // The MD5 digest read as a 128-bit big-endian integer: the same indices as
  // Keras' hashing_trick(hash_function="md5").
  md5,
};

// Keras' hashing_trick: index = hash(word) % (n - 1) + 1 for each word, so
// indices lie in [1, n - 1] and 0 stays free for padding. n must be >= 2.
CUSEQ_API std::vector<std::int32_t> hashing_trick(const std::string& text, std::int64_t n,
                                                  WordHash hash = WordHash::fnv1a_64,
                                                  const std::string& filters = kDefaultTextFilters,
                                                  bool lower = true,
                                                  const std::string& split = " ");
// The same with a caller's hash function.
CUSEQ_API std::vector<std::int32_t> hashing_trick(
    const std::string& text, std::int64_t n,
    const std::function<std::uint64_t(const std::string&)>& hash,
    const std::string& filters = kDefaultTextFilters, bool lower = true,
    const std::string& split = " ");

// Keras' one_hot: hashing_trick with the default hash (FNV-1a 64 here).
CUSEQ_API std::vector<std::int32_t> one_hot(const std::string& text, std::int64_t n,
                                            const std::string& filters = kDefaultTextFilters,
                                            bool lower = true, const std::string& split = " ");

// The 64-bit FNV-1a hash of `bytes`, exposed so users can reproduce indices.
CUSEQ_API std::uint64_t fnv1a_64(const std::string& bytes);

}  // namespace cuseq
