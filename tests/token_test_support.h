// Helpers for the token-file, tokenizer and batcher tests: scratch files.
#pragma once

#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>

#include "test_support.h"

namespace cuseq::testing {

// A path in GoogleTest's scratch folder, unique to this process.
inline std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "cuseq_" + std::to_string(::getpid()) + "_" + name;
}

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Writes `ids` as a token file.
inline void write_token_file(const std::string& path, const std::vector<std::uint32_t>& ids,
                             std::uint64_t vocab_size) {
  TokenFileWriter writer(path, vocab_size, TokenUnit::word);
  writer.append(ids.data(), ids.size());
  writer.finish();
}

}  // namespace cuseq::testing
