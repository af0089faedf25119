// Binary token files: a corpus tokenized once (cuseq-tokenize) and then read
// memory-mapped by training, so corpora larger than RAM stream from disk.
//
// Layout (little-endian), a 64-byte header then the payload:
//   0  char[8] "CUSEQTOK"      magic
//   8  u32     version         1
//   12 u32     token_bytes     2 (uint16 ids, vocabularies up to 65536) or 4 (uint32)
//   16 u64     count           number of tokens
//   24 u64     vocab_size      ids are in [0, vocab_size)
//   32 u64     checksum        token_file_checksum() of the payload bytes
//   40 u32     unit            TokenUnit: what one token is
//   44 u8[20]  reserved        zero
//   64         payload         count * token_bytes bytes of ids
// The file's size is exactly 64 + count * token_bytes. The vocabulary lives in a
// separate text file (read_vocabulary / write_vocabulary).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cuseq/export.h"

namespace cuseq {

namespace detail {
class AtomicOutput;
}

enum class TokenUnit : std::uint32_t { byte = 0, utf8_char = 1, word = 2 };

CUSEQ_API std::string token_unit_name(TokenUnit unit);  // "byte", "char", "word"

constexpr std::size_t kTokenFileHeaderBytes = 64;
constexpr std::uint32_t kTokenFileVersion = 1;

// The payload checksum: 64-bit FNV-1a over the payload read as little-endian
// 64-bit words (the last partial word zero-padded), then mixed with the byte
// length. Word-wise so that checking a GB-sized file takes a fraction of a second.
class CUSEQ_API TokenChecksum {
 public:
  void update(const void* bytes, std::size_t count);
  std::uint64_t value() const;

 private:
  void absorb(std::uint64_t word);
  std::uint64_t state_ = 0xcbf29ce484222325ULL;
  std::uint64_t length_ = 0;
  unsigned char pending_[8] = {};
  std::size_t pending_count_ = 0;
};

// Streams ids into a new token file. Nothing is visible at `path` until
// finish(): the ids go to "<path>.tmp.<pid>", which finish() fsyncs and
// renames over `path`; a writer destroyed before finish() removes it.
class CUSEQ_API TokenFileWriter {
 public:
  // token_bytes follows from vocab_size: 2 when it fits uint16, else 4.
  TokenFileWriter(std::string path, std::uint64_t vocab_size, TokenUnit unit);
  ~TokenFileWriter();
  TokenFileWriter(const TokenFileWriter&) = delete;
  TokenFileWriter& operator=(const TokenFileWriter&) = delete;

  // Ids must be < vocab_size (checked).
  void append(const std::uint32_t* ids, std::size_t count);
  void append(std::uint32_t id) { append(&id, 1); }
  void finish();
  std::uint64_t count() const { return count_; }

 private:
  void flush();
  std::unique_ptr<detail::AtomicOutput> output_;
  std::uint64_t vocab_size_;
  TokenUnit unit_;
  std::uint32_t token_bytes_;
  std::uint64_t count_ = 0;
  TokenChecksum checksum_;
  std::vector<unsigned char> buffer_;
};

struct TokenFileOptions {
  // Reads the whole payload once on open to compare its checksum (with
  // pread into a small buffer, so the pages do not stay in this process's
  // memory). Off: header and size are still checked; call verify() later.
  bool verify_checksum = true;
};

// A token file mapped read-only into memory. Opening checks the header and the
// size; any corruption throws a cuseq::Error naming the file and the problem.
class CUSEQ_API TokenFile {
 public:
  static TokenFile open(const std::string& path, TokenFileOptions options = {});
  ~TokenFile();
  TokenFile(TokenFile&& other) noexcept;
  TokenFile& operator=(TokenFile&& other) noexcept;
  TokenFile(const TokenFile&) = delete;
  TokenFile& operator=(const TokenFile&) = delete;

  const std::string& path() const { return path_; }
  std::uint64_t count() const { return count_; }
  std::uint64_t vocab_size() const { return vocab_size_; }
  std::uint32_t token_bytes() const { return token_bytes_; }
  TokenUnit unit() const { return unit_; }
  std::uint64_t checksum() const { return checksum_; }  // the header's, of the payload

  std::uint32_t operator[](std::uint64_t index) const;
  // Copies ids [begin, begin + count) as int32 into `out` (checked bounds).
  void copy_ids(std::uint64_t begin, std::uint64_t count, std::int32_t* out) const;
  // Recomputes the payload checksum and checks every id is below
  // vocab_size; throws when either fails.
  void verify() const;

 private:
  TokenFile() = default;
  void release();

  std::string path_;
  const unsigned char* mapping_ = nullptr;
  std::size_t mapping_bytes_ = 0;
  std::uint64_t count_ = 0;
  std::uint64_t vocab_size_ = 0;
  std::uint64_t checksum_ = 0;
  std::uint32_t token_bytes_ = 0;
  TokenUnit unit_ = TokenUnit::byte;
};

// Vocabulary files: one token per line, line i is id i. Backslash escapes keep
// every token on one line: \\ \n \r \t, and \xHH for other control bytes.
CUSEQ_API std::string escape_token(const std::string& token);
CUSEQ_API std::string unescape_token(const std::string& line);
CUSEQ_API void write_vocabulary(const std::string& path, const std::vector<std::string>& tokens);
CUSEQ_API std::vector<std::string> read_vocabulary(const std::string& path);

}  // namespace cuseq
