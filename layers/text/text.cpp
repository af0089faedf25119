#include "cuseq/text.h"

#include <limits>

#include "cuseq/error.h"
#include "layers/text/md5.h"
#include "layers/text/word_splitter.h"

namespace cuseq {
namespace {

// hash(word) % modulus for the 128-bit big-endian integer Keras builds from
// the hex digest: Horner's rule one byte at a time keeps every step in 64 bits.
std::uint64_t md5_modulo(const std::string& word, std::uint64_t modulus) {
  std::uint64_t remainder = 0;
  for (const std::uint8_t byte : detail::md5_digest(word)) {
    remainder = (remainder * 256 + byte) % modulus;
  }
  return remainder;
}

// The words of `text`, each mapped to residue(word, n - 1) + 1.
template <class Residue>
std::vector<std::int32_t> hash_words(const std::string& text, std::int64_t n,
                                     const std::string& filters, bool lower,
                                     const std::string& split, Residue residue) {
  check(n >= 2 && n - 1 <= std::numeric_limits<std::int32_t>::max(), "hashing_trick",
        "n (the vocabulary size) must be in [2, 2^31], got ", n);
  const auto modulus = static_cast<std::uint64_t>(n - 1);
  std::vector<std::int32_t> indices;
  for (const std::string& word :
       detail::WordSplitter(filters, lower, split, "hashing_trick").words(text)) {
    indices.push_back(static_cast<std::int32_t>(residue(word, modulus) + 1));
  }
  return indices;
}

}  // namespace

std::vector<std::string> text_to_word_sequence(const std::string& text, const std::string& filters,
                                               bool lower, const std::string& split) {
  return detail::WordSplitter(filters, lower, split, "text_to_word_sequence").words(text);
}

std::uint64_t fnv1a_64(const std::string& bytes) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::vector<std::int32_t> hashing_trick(const std::string& text, std::int64_t n, WordHash hash,
                                        const std::string& filters, bool lower,
                                        const std::string& split) {
  return hash_words(
      text, n, filters, lower, split, [hash](const std::string& word, std::uint64_t modulus) {
        return hash == WordHash::md5 ? md5_modulo(word, modulus) : fnv1a_64(word) % modulus;
      });
}

std::vector<std::int32_t> hashing_trick(
    const std::string& text, std::int64_t n,
    const std::function<std::uint64_t(const std::string&)>& hash, const std::string& filters,
    bool lower, const std::string& split) {
  check(static_cast<bool>(hash), "hashing_trick", "hash function is empty");
  return hash_words(
      text, n, filters, lower, split,
      [&hash](const std::string& word, std::uint64_t modulus) { return hash(word) % modulus; });
}

std::vector<std::int32_t> one_hot(const std::string& text, std::int64_t n,
                                  const std::string& filters, bool lower,
                                  const std::string& split) {
  return hashing_trick(text, n, WordHash::fnv1a_64, filters, lower, split);
}

}  // namespace cuseq
