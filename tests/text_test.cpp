// Keras' text_to_word_sequence, hashing_trick and one_hot.
#include "cuseq/text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "test_support.h"

namespace cuseq {
namespace {

using Words = std::vector<std::string>;
using Ids = std::vector<std::int32_t>;

// A 128-bit hex digest read as a big-endian integer, modulo `modulus`: Keras'
// int(hexdigest, 16) % modulus, one hex digit at a time.
std::uint64_t hex_modulo(const std::string& hex, std::uint64_t modulus) {
  std::uint64_t remainder = 0;
  for (const char digit : hex) {
    const std::uint64_t value = digit <= '9' ? digit - '0' : digit - 'a' + 10;
    remainder = (remainder * 16 + value) % modulus;
  }
  return remainder;
}

TEST(TextToWordSequence, MatchesKerasDocumentedExample) {
  EXPECT_EQ(text_to_word_sequence("The quick brown fox jumped over the lazy dog."),
            (Words{"the", "quick", "brown", "fox", "jumped", "over", "the", "lazy", "dog"}));
}

TEST(TextToWordSequence, FiltersPunctuationTabsAndNewlinesAndDropsEmptyWords) {
  EXPECT_EQ(text_to_word_sequence("Hello,world!\tIt's\n  fine...ok"),
            (Words{"hello", "world", "it's", "fine", "ok"}));
}

TEST(TextToWordSequence, KeepsCaseWhenLowerIsFalse) {
  EXPECT_EQ(text_to_word_sequence("Hello World", kDefaultTextFilters, false),
            (Words{"Hello", "World"}));
}

TEST(TextToWordSequence, SplitsOnACustomMultiCharacterSeparator) {
  EXPECT_EQ(text_to_word_sequence("a--b----c-d", "", true, "--"), (Words{"a", "b", "c-d"}));
}

TEST(TextToWordSequence, FiltersMultiByteCharactersWithoutCuttingOthers) {
  // "é" (C3 A9) must survive; the filter "€" (E2 82 AC) becomes a separator.
  EXPECT_EQ(text_to_word_sequence("caf\xC3\xA9\xE2\x82\xAC"
                                  "bar",
                                  "\xE2\x82\xAC"),
            (Words{"caf\xC3\xA9", "bar"}));
}

TEST(TextToWordSequence, LowerCasesBeforeFiltering) {
  // Keras lowers first, so an upper-case filter character never matches.
  EXPECT_EQ(text_to_word_sequence("AxBX", "X"), (Words{"axbx"}));
  EXPECT_EQ(text_to_word_sequence("AxBX", "x"), (Words{"a", "b"}));
}

TEST(TextToWordSequence, RejectsAnEmptySplit) {
  testing::expect_error_mentions(
      [] { text_to_word_sequence("a b", kDefaultTextFilters, true, ""); },
      {"text_to_word_sequence", "split"});
}

TEST(Fnv1a64, MatchesThePublishedTestVectors) {
  EXPECT_EQ(fnv1a_64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a_64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a_64("foobar"), 0x85944171f73967e8ULL);
}

TEST(HashingTrick, DefaultHashIsFnv1aModuloNMinusOnePlusOne) {
  const Ids ids = hashing_trick("foobar, A!", 1000);
  EXPECT_EQ(ids, (Ids{static_cast<std::int32_t>(0x85944171f73967e8ULL % 999 + 1),
                      static_cast<std::int32_t>(0xaf63dc4c8601ec8cULL % 999 + 1)}));
}

TEST(HashingTrick, Md5MatchesKerasMd5OptionOnRfc1321Vectors) {
  // Digests from RFC 1321's test suite (and md5sum); Keras computes
  // int(md5(word).hexdigest(), 16) % (n - 1) + 1.
  const std::string long_word =
      "12345678901234567890123456789012345678901234567890123456789012345678901234567890";
  const std::vector<std::pair<std::string, std::string>> vectors = {
      {"a", "0cc175b9c0f1b6a831c399e269772661"},
      {"abc", "900150983cd24fb0d6963f7d28e17f72"},
      {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
      {long_word, "57edf4a22be3c955ac49da2e2107b67a"}};
  for (const std::int64_t n : {std::int64_t{2}, std::int64_t{1000}, std::int64_t{2147483648}}) {
    for (const auto& [word, digest] : vectors) {
      const Ids ids = hashing_trick(word, n, WordHash::md5);
      ASSERT_EQ(ids.size(), 1u);
      EXPECT_EQ(ids[0], static_cast<std::int32_t>(hex_modulo(digest, n - 1) + 1))
          << word << " with n = " << n;
    }
  }
}

TEST(HashingTrick, AcceptsACallersHashFunction) {
  const auto length = [](const std::string& word) { return std::uint64_t{word.size()}; };
  EXPECT_EQ(hashing_trick("a bb ccc", 10, length), (Ids{2, 3, 4}));
}

TEST(HashingTrick, RejectsAVocabularyBelowTwo) {
  testing::expect_error_mentions([] { hashing_trick("a", 1); }, {"hashing_trick", "n", "got 1"});
}

TEST(OneHot, IsTheHashingTrickWithTheDefaultHashAndStaysInRange) {
  const std::string text = "The cat sat on the mat. The dog ate my homework.";
  const Ids ids = one_hot(text, 50);
  EXPECT_EQ(ids, hashing_trick(text, 50, WordHash::fnv1a_64));
  ASSERT_EQ(ids.size(), 11u);
  EXPECT_EQ(ids[0], ids[4]);  // "the" both times
  for (const std::int32_t id : ids) {
    EXPECT_GE(id, 1);
    EXPECT_LE(id, 49);
  }
}

}  // namespace
}  // namespace cuseq
