// Files that must never be damaged or silently mixed up: a corpus that changes
// while it is tokenized, outputs that name an input, a token file whose
// vocabulary could not be written, saves onto symlinks and special files,
// temporary files left by killed writers, and CRLF vocabularies.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "token_test_support.h"

namespace cuseq {
namespace {

using testing::expect_error_mentions;
using testing::read_bytes;
using testing::temp_path;
using testing::write_bytes;

TokenizeOptions words() {
  TokenizeOptions options;
  options.unit = TokenUnit::word;
  return options;
}

TEST(FileSafety, CorpusThatChangesBetweenTheTwoPassesIsAnError) {
  const std::string corpus = temp_path("changing.txt"), tail = temp_path("changing_tail.txt");
  const std::string tokens = temp_path("changing.tok");
  write_bytes(corpus, "the cat sat on the mat\n");
  write_bytes(tail, "the end\n");
  // Once the counting pass has read both files, the first grows new words.
  const auto grow = [&](int pass, std::uint64_t done, std::uint64_t total) {
    if (pass == 1 && done == total) write_bytes(corpus, "the cat sat on the mat\nand a dog ran\n");
  };
  expect_error_mentions(
      [&] {
        tokenize_corpus({corpus, tail}, tokens, tokens + ".vocab", words(), grow);
      },
      {corpus, "changed"});
  EXPECT_FALSE(std::filesystem::exists(tokens));
  std::remove(corpus.c_str());
  std::remove(tail.c_str());
}

TEST(FileSafety, CharacterCorpusThatChangesBetweenTheTwoPassesIsAnError) {
  const std::string corpus = temp_path("changing_chars.txt");
  const std::string tokens = temp_path("changing_chars.tok");
  write_bytes(corpus, "abcabc");
  const auto swap = [&](int pass, std::uint64_t done, std::uint64_t total) {
    if (pass == 1 && done == total) write_bytes(corpus, "abcabx");  // same size, a new character
  };
  expect_error_mentions(
      [&] { tokenize_corpus({corpus}, tokens, tokens + ".vocab", TokenizeOptions{}, swap); },
      {corpus, "changed"});
  std::remove(corpus.c_str());
}

TEST(FileSafety, TokenizingOntoAnInputIsRefusedAndKeepsTheInput) {
  const std::string corpus = temp_path("precious.txt");
  write_bytes(corpus, "do not destroy me\n");
  expect_error_mentions([&] { tokenize_corpus({corpus}, corpus, corpus + ".vocab", words()); },
                        {corpus, "input"});
  expect_error_mentions([&] { tokenize_corpus({corpus}, temp_path("x.tok"), corpus, words()); },
                        {corpus, "input"});
  EXPECT_EQ(read_bytes(corpus), "do not destroy me\n");
  std::remove(corpus.c_str());
}

TEST(FileSafety, SplittingATokenFileOntoItselfIsRefused) {
  const std::string path = temp_path("self_split.tok");
  std::vector<std::uint32_t> ids(1002);
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::uint32_t>(i % 7);
  testing::write_token_file(path, ids, 7);
  expect_error_mentions(
      [&] { split_token_file(TokenFile::open(path), 0.1, path, temp_path("self_valid.tok")); },
      {path, "source"});
  expect_error_mentions(
      [&] { split_token_file(TokenFile::open(path), 0.1, temp_path("self_train.tok"), path); },
      {path, "source"});
  EXPECT_EQ(TokenFile::open(path).count(), 1002u);
  std::remove(path.c_str());
}

TEST(FileSafety, TokenFileIsNotReplacedWhenItsVocabularyCannotBeWritten) {
  const std::string corpus = temp_path("pair.txt");
  const std::string tokens = temp_path("pair.tok");
  write_bytes(corpus, "old words here\n");
  tokenize_corpus({corpus}, tokens, tokens + ".vocab", words());
  const std::string old_tokens = read_bytes(tokens);
  write_bytes(corpus, "entirely new and different words\n");
  const std::string unwritable = temp_path("no_such_folder") + "/pair.vocab";
  EXPECT_THROW(tokenize_corpus({corpus}, tokens, unwritable, words()), Error);
  EXPECT_EQ(read_bytes(tokens), old_tokens) << "a new .tok beside the old vocabulary";
  std::remove(corpus.c_str());
  std::remove(tokens.c_str());
  std::remove((tokens + ".vocab").c_str());
}

Sequential tiny_model() {
  Sequential model;
  model.emplace<Dense>(2);
  model.build({3}, DType::float32, Device::cpu());
  return model;
}

TEST(FileSafety, SavingThroughASymlinkReplacesItsTargetAndKeepsTheLink) {
  const std::string target = temp_path("link_target.cuseq");
  const std::string link = temp_path("link.cuseq");
  write_bytes(target, "old");
  std::remove(link.c_str());
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  const Sequential model = tiny_model();
  model.save_weights(link);
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  EXPECT_NE(read_bytes(target), "old");
  Sequential loaded = tiny_model();
  EXPECT_NO_THROW(loaded.load_weights(link));
  std::remove(link.c_str());
  std::remove(target.c_str());
}

TEST(FileSafety, SavingOntoASpecialFileIsRefusedAndKeepsIt) {
  const std::string fifo = temp_path("save.fifo");
  std::remove(fifo.c_str());
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const Sequential model = tiny_model();
  expect_error_mentions([&] { model.save_weights(fifo); }, {fifo, "not a regular file"});
  EXPECT_TRUE(std::filesystem::is_fifo(fifo));
  std::remove(fifo.c_str());
}

TEST(FileSafety, TemporaryFilesOfDeadWritersAreRemovedByTheNextSave) {
  const std::string path = temp_path("stale.cuseq");
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);  // a process id that no longer runs
  const std::string stale = path + ".tmp." + std::to_string(child);
  write_bytes(stale, "half a file");
  const std::string live = path + ".tmp.1";  // init: alive, never ours to remove
  write_bytes(live, "someone else's");
  tiny_model().save_weights(path);
  EXPECT_FALSE(std::filesystem::exists(stale));
  EXPECT_TRUE(std::filesystem::exists(live));
  std::remove(live.c_str());
  std::remove(path.c_str());
}

TEST(FileSafety, VocabularyWithCrlfLineEndsHasNoCarriageReturns) {
  const std::string path = temp_path("crlf.vocab");
  write_bytes(path, "<unk>\r\nthe\r\n\\r\r\n");
  EXPECT_EQ(read_vocabulary(path), (std::vector<std::string>{"<unk>", "the", "\r"}));
  std::remove(path.c_str());
}

std::string corpus_of(const std::string& name, std::uint32_t vocab, std::size_t count) {
  const std::string path = temp_path(name);
  std::vector<std::uint32_t> ids(count);
  for (std::size_t i = 0; i < count; ++i) ids[i] = static_cast<std::uint32_t>((i * 7) % vocab);
  testing::write_token_file(path, ids, vocab);
  return path;
}

TEST(FileSafety, CachedSplitIsReusedOnlyForTheCorpusItWasMadeFrom) {
  const std::string source = corpus_of("cached.tok", 9, 1000);
  const std::string train = temp_path("cached.train.tok"), valid = temp_path("cached.valid.tok");
  EXPECT_TRUE(split_token_file_once(source, 0.1, train, valid));
  EXPECT_FALSE(split_token_file_once(source, 0.1, train, valid)) << "the same corpus: reused";
  EXPECT_TRUE(split_token_file_once(source, 0.2, train, valid)) << "another fraction";
  EXPECT_EQ(TokenFile::open(valid).count(), 200u);
  // The corpus re-tokenized to the same path: the split must follow it.
  corpus_of("cached.tok", 5, 500);
  EXPECT_TRUE(split_token_file_once(source, 0.2, train, valid));
  EXPECT_EQ(TokenFile::open(train).count() + TokenFile::open(valid).count(), 500u);
  EXPECT_EQ(TokenFile::open(train).vocab_size(), 5u);
  for (const std::string& path : {source, train, valid, train + ".split"})
    std::remove(path.c_str());
}

TEST(FileSafety, SplitMissingItsValidationHalfIsMadeAgain) {
  const std::string source = corpus_of("halved.tok", 9, 1000);
  const std::string train = temp_path("halved.train.tok"), valid = temp_path("halved.valid.tok");
  split_token_file_once(source, 0.1, train, valid);
  std::remove(valid.c_str());  // as a kill between the two halves' writes leaves it
  EXPECT_TRUE(split_token_file_once(source, 0.1, train, valid));
  EXPECT_EQ(TokenFile::open(valid).count(), 100u);
  for (const std::string& path : {source, train, valid, train + ".split"})
    std::remove(path.c_str());
}

}  // namespace
}  // namespace cuseq
