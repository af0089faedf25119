// Token files: what the writer stores the reader gives back, and every kind of
// damage is reported with the file's name.
#include <cstdio>

#include "token_test_support.h"

namespace cuseq {
namespace {

using testing::read_bytes;
using testing::temp_path;
using testing::write_bytes;

std::vector<std::uint32_t> write_ids(const std::string& path, std::uint64_t vocab_size,
                                     std::size_t count, std::uint64_t seed) {
  const std::vector<double> random =
      testing::random_values(count, seed, 0, static_cast<double>(vocab_size));
  const std::vector<std::uint32_t> ids(random.begin(), random.end());
  testing::write_token_file(path, ids, vocab_size);
  return ids;
}

TEST(TokenFile, RoundTripsSmallVocabularyAsTwoByteIds) {
  const std::string path = temp_path("small.tok");
  const auto ids = write_ids(path, 300, 5000, 1);
  const TokenFile file = TokenFile::open(path);
  EXPECT_EQ(file.count(), ids.size());
  EXPECT_EQ(file.vocab_size(), 300u);
  EXPECT_EQ(file.token_bytes(), 2u);
  EXPECT_EQ(file.unit(), TokenUnit::word);
  std::vector<std::int32_t> read(ids.size());
  file.copy_ids(0, ids.size(), read.data());
  for (std::size_t i = 0; i < ids.size(); ++i)
    ASSERT_EQ(static_cast<std::uint32_t>(read[i]), ids[i]);
  std::remove(path.c_str());
}

TEST(TokenFile, UsesFourByteIdsWhenTheVocabularyExceedsUint16) {
  const std::string path = temp_path("large.tok");
  const auto ids = write_ids(path, 70000, 3001, 2);
  const TokenFile file = TokenFile::open(path);
  EXPECT_EQ(file.token_bytes(), 4u);
  for (std::size_t i = 0; i < ids.size(); i += 97) ASSERT_EQ(file[i], ids[i]);
  std::remove(path.c_str());
}

TEST(TokenFile, HeaderFollowsTheDocumentedLayout) {
  const std::string path = temp_path("layout.tok");
  write_ids(path, 10, 3, 3);
  const std::string bytes = read_bytes(path);
  ASSERT_EQ(bytes.size(), kTokenFileHeaderBytes + 3 * 2);
  EXPECT_EQ(bytes.substr(0, 8), "CUSEQTOK");
  EXPECT_EQ(bytes[8], 1);    // version
  EXPECT_EQ(bytes[12], 2);   // token bytes
  EXPECT_EQ(bytes[16], 3);   // count
  EXPECT_EQ(bytes[24], 10);  // vocab size
  TokenChecksum checksum;
  checksum.update(bytes.data() + kTokenFileHeaderBytes, 6);
  std::uint64_t stored = 0;
  for (int b = 7; b >= 0; --b) stored = (stored << 8) | static_cast<unsigned char>(bytes[32 + b]);
  EXPECT_EQ(stored, checksum.value());
  std::remove(path.c_str());
}

TEST(TokenFile, ChecksumDoesNotDependOnHowThePayloadIsSplit) {
  const std::vector<double> values = testing::random_values(1001, 4, 0, 255);
  const std::string bytes(values.begin(), values.end());
  TokenChecksum whole;
  whole.update(bytes.data(), bytes.size());
  TokenChecksum pieces;
  for (std::size_t begin = 0, step = 1; begin < bytes.size(); begin += step, step = step % 13 + 1) {
    pieces.update(bytes.data() + begin, std::min(step, bytes.size() - begin));
  }
  EXPECT_EQ(whole.value(), pieces.value());
}

TEST(TokenFile, NothingAppearsAtThePathUntilFinish) {
  const std::string path = temp_path("unfinished.tok");
  {
    TokenFileWriter writer(path, 5, TokenUnit::byte);
    writer.append(3);
    EXPECT_FALSE(std::ifstream(path).good());
  }  // destroyed without finish(): the temporary file is removed too
  EXPECT_FALSE(std::ifstream(path).good());
  EXPECT_FALSE(std::ifstream(path + ".tmp." + std::to_string(::getpid())).good());
}

TEST(TokenFile, WriterRejectsIdsOutsideTheVocabulary) {
  TokenFileWriter writer(temp_path("bad_id.tok"), 5, TokenUnit::byte);
  testing::expect_error_mentions([&] { writer.append(5); }, {"TokenFileWriter", "5", "vocab_size"});
}

TEST(TokenFile, TruncatedFileIsAnErrorNamingTheFile) {
  const std::string path = temp_path("truncated.tok");
  write_ids(path, 50, 100, 5);
  const std::string bytes = read_bytes(path);
  write_bytes(path, bytes.substr(0, bytes.size() - 1));
  testing::expect_error_mentions([&] { TokenFile::open(path); }, {path, "truncated", "100 tokens"});
  write_bytes(path, bytes.substr(0, 20));
  testing::expect_error_mentions([&] { TokenFile::open(path); }, {path, "truncated", "header"});
  std::remove(path.c_str());
}

TEST(TokenFile, FlippedPayloadByteFailsTheChecksum) {
  const std::string path = temp_path("flipped.tok");
  write_ids(path, 50, 100, 6);
  std::string bytes = read_bytes(path);
  bytes[kTokenFileHeaderBytes + 17] ^= 0x01;
  write_bytes(path, bytes);
  testing::expect_error_mentions([&] { TokenFile::open(path); }, {path, "checksum"});
  // Skipping the check on open defers it to verify().
  const TokenFile file = TokenFile::open(path, {/*verify_checksum=*/false});
  testing::expect_error_mentions([&] { file.verify(); }, {path, "checksum"});
  std::remove(path.c_str());
}

TEST(TokenFile, DamagedHeaderFieldsAreNamed) {
  const std::string path = temp_path("header.tok");
  write_ids(path, 50, 10, 7);
  const std::string good = read_bytes(path);
  auto expect_damage = [&](std::size_t offset, char value, const std::string& fragment) {
    std::string bytes = good;
    bytes[offset] = value;
    write_bytes(path, bytes);
    testing::expect_error_mentions([&] { TokenFile::open(path); }, {path, fragment});
  };
  expect_damage(0, 'X', "magic");
  expect_damage(8, 9, "version");
  expect_damage(12, 3, "token width");
  expect_damage(40, 7, "unit");
  expect_damage(50, 1, "reserved");
  expect_damage(16, 11, "promises 11 tokens");
  std::remove(path.c_str());
}

TEST(TokenFile, MissingFileIsAnError) {
  testing::expect_error_mentions([] { TokenFile::open("/nonexistent/corpus.tok"); },
                                 {"/nonexistent/corpus.tok", "cannot open"});
}

TEST(TokenFile, CopyOutsideTheTokensIsAnError) {
  const std::string path = temp_path("range.tok");
  write_ids(path, 50, 10, 8);
  const TokenFile file = TokenFile::open(path);
  std::vector<std::int32_t> out(5);
  testing::expect_error_mentions([&] { file.copy_ids(8, 5, out.data()); }, {"[8, 13)", "[0, 10)"});
  std::remove(path.c_str());
}

TEST(Vocabulary, EscapesKeepEveryTokenOnOneLine) {
  const std::vector<std::string> tokens = {"the",  "\n", "\\", "a\tb", "\r", std::string(1, '\0'),
                                           "\x7f", "é",  " ",  "\\n"};
  for (const std::string& token : tokens) {
    const std::string escaped = escape_token(token);
    EXPECT_EQ(escaped.find('\n'), std::string::npos) << escaped;
    EXPECT_EQ(unescape_token(escaped), token) << escaped;
  }
  const std::string path = temp_path("words.vocab");
  write_vocabulary(path, tokens);
  EXPECT_EQ(read_vocabulary(path), tokens);
  std::remove(path.c_str());
}

TEST(Vocabulary, BadEscapeIsAnError) {
  testing::expect_error_mentions([] { unescape_token("a\\q"); }, {"read_vocabulary", "\\q"});
  testing::expect_error_mentions([] { unescape_token("a\\"); }, {"dangling"});
}

}  // namespace
}  // namespace cuseq
