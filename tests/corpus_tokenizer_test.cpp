// The corpus tokenizer: vocabularies in frequency order, OOV handling, and
// streams that cut characters and words at chunk boundaries without harm.
#include <cstdio>
#include <filesystem>
#include <map>

#include "token_test_support.h"

namespace cuseq {
namespace {

using testing::temp_path;
using testing::write_bytes;

struct Tokenized {
  std::vector<std::string> vocabulary;
  std::vector<std::string> tokens;  // the file's ids mapped back through the vocabulary
  TokenizeResult result;
  TokenUnit unit;
};

Tokenized tokenize(const std::vector<std::string>& texts, const TokenizeOptions& options) {
  std::vector<std::string> files;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    files.push_back(temp_path("corpus" + std::to_string(i) + ".txt"));
    write_bytes(files.back(), texts[i]);
  }
  const std::string token_path = temp_path("corpus.tok");
  Tokenized out;
  out.result = tokenize_corpus(files, token_path, token_path + ".vocab", options);
  out.vocabulary = read_vocabulary(token_path + ".vocab");
  const TokenFile file = TokenFile::open(token_path);
  out.unit = file.unit();
  EXPECT_EQ(file.vocab_size(), out.vocabulary.size());
  for (std::uint64_t i = 0; i < file.count(); ++i) out.tokens.push_back(out.vocabulary.at(file[i]));
  for (const std::string& f : files) std::remove(f.c_str());
  std::remove(token_path.c_str());
  std::remove((token_path + ".vocab").c_str());
  return out;
}

TokenizeOptions words(std::uint64_t num_words = 0) {
  TokenizeOptions options;
  options.unit = TokenUnit::word;
  options.num_words = num_words;
  return options;
}

TEST(CorpusTokenizer, CharacterVocabularyIsByDescendingCountThenFirstAppearance) {
  TokenizeOptions options;
  options.unit = TokenUnit::utf8_char;
  const Tokenized t = tokenize({"abcbcd"}, options);
  // b and c appear twice (b first), a and d once (a first).
  EXPECT_EQ(t.vocabulary, (std::vector<std::string>{"b", "c", "a", "d"}));
  EXPECT_EQ(t.tokens, (std::vector<std::string>{"a", "b", "c", "b", "c", "d"}));
  EXPECT_EQ(t.unit, TokenUnit::utf8_char);
}

TEST(CorpusTokenizer, Utf8CharactersAreSingleTokensAndBytesAreNot) {
  TokenizeOptions options;
  options.unit = TokenUnit::utf8_char;
  EXPECT_EQ(tokenize({"é€a"}, options).tokens, (std::vector<std::string>{"é", "€", "a"}));
  options.unit = TokenUnit::byte;
  EXPECT_EQ(tokenize({"é"}, options).tokens, (std::vector<std::string>{"\xc3", "\xa9"}));
}

TEST(CorpusTokenizer, TruncatedUtf8SequenceIsItsOwnTokenAndKeepsTheNextCharacter) {
  TokenizeOptions options;
  const Tokenized t = tokenize({std::string("\xe2\x82") + "x"}, options);
  EXPECT_EQ(t.tokens, (std::vector<std::string>{"\xe2\x82", "x"}));
}

TEST(CorpusTokenizer, CharactersCutByChunkBoundariesAreWhole) {
  // 3-byte characters across several 1 MiB read chunks, whose size 3 does not divide.
  std::string text;
  while (text.size() < (std::size_t{5} << 18)) text += "€x";
  TokenizeOptions options;
  const Tokenized t = tokenize({text}, options);
  EXPECT_EQ(t.vocabulary, (std::vector<std::string>{"€", "x"}));
  ASSERT_EQ(t.tokens.size(), text.size() / 4 * 2);
  EXPECT_EQ(t.result.bytes, text.size());
}

TEST(CorpusTokenizer, WordsSplitOnWhitespaceWithLineBreaksAsTokens) {
  const Tokenized t = tokenize({"the cat\tsat.\r\nthe  end\n"}, words());
  EXPECT_EQ(t.tokens, (std::vector<std::string>{"the", "cat", "sat.", "\n", "the", "end", "\n"}));
  // Id 0 is the OOV entry, then the words by count, ties by first appearance.
  EXPECT_EQ(t.vocabulary, (std::vector<std::string>{"<unk>", "the", "\n", "cat", "sat.", "end"}));
}

TEST(CorpusTokenizer, WordsBeyondNumWordsMapToTheOovId) {
  const Tokenized t = tokenize({"a b a c a b d"}, words(2));
  EXPECT_EQ(t.vocabulary, (std::vector<std::string>{"<unk>", "a", "b"}));
  EXPECT_EQ(t.tokens, (std::vector<std::string>{"a", "b", "a", "<unk>", "a", "b", "<unk>"}));
  EXPECT_EQ(t.result.oov_tokens, 2u);
}

TEST(CorpusTokenizer, CorpusOovWordsShareTheOovId) {
  const Tokenized t = tokenize({"<unk> a <unk> <unk>"}, words());
  EXPECT_EQ(t.vocabulary, (std::vector<std::string>{"<unk>", "a"}));
  EXPECT_EQ(t.result.oov_tokens, 3u);
}

TEST(CorpusTokenizer, LowerFoldsAsciiCase) {
  TokenizeOptions options = words();
  options.lower = true;
  EXPECT_EQ(tokenize({"The THE the"}, options).vocabulary,
            (std::vector<std::string>{"<unk>", "the"}));
}

TEST(CorpusTokenizer, FilesAreOneStreamButAWordNeverSpansTwoFiles) {
  const Tokenized t = tokenize({"ab", "cd"}, words());
  EXPECT_EQ(t.tokens, (std::vector<std::string>{"ab", "cd"}));
}

TEST(CorpusTokenizer, WordsCutByChunkBoundariesAreWhole) {
  std::string text;
  std::map<std::string, int> expected;
  for (int i = 0; text.size() < (std::size_t{3} << 19); ++i) {
    const std::string word = "w" + std::to_string(i % 1000);
    text += word + " ";
    ++expected[word];
  }
  const Tokenized t = tokenize({text}, words());
  std::map<std::string, int> counted;
  for (const std::string& token : t.tokens) ++counted[token];
  EXPECT_EQ(counted, expected);
}

TEST(CorpusTokenizer, NumWordsIsRejectedForCharacters) {
  TokenizeOptions options;
  options.num_words = 5;
  testing::expect_error_mentions([&] { tokenize({"abc"}, options); }, {"num_words", "word"});
}

TEST(CorpusTokenizer, ListsFoldersRecursivelySortedWithoutHiddenEntries) {
  namespace fs = std::filesystem;
  const fs::path root = temp_path("folder");
  fs::create_directories(root / "b");
  fs::create_directories(root / ".git");
  write_bytes((root / "b" / "2.txt").string(), "x");
  write_bytes((root / "a.txt").string(), "x");
  write_bytes((root / ".hidden").string(), "x");
  write_bytes((root / ".git" / "c.txt").string(), "x");
  EXPECT_EQ(
      list_corpus_files({root.string(), "-"}),
      (std::vector<std::string>{(root / "a.txt").string(), (root / "b" / "2.txt").string(), "-"}));
  fs::remove_all(root);
  testing::expect_error_mentions([&] { list_corpus_files({root.string()}); },
                                 {"no such file", root.string()});
}

}  // namespace
}  // namespace cuseq
