// Fuzzes the token-file reader: TokenFile::open, reading every id, and
// splitting the file. Input: one mode byte, then the file. Mode 1 rewrites the
// header's checksum to match the payload, so mutations get past it.
#include <vector>

#include "cuseq/cuseq.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cuseq;
  if (size == 0) return 0;
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 1 && bytes.size() >= kTokenFileHeaderBytes) {
    TokenChecksum checksum;
    checksum.update(bytes.data() + kTokenFileHeaderBytes, bytes.size() - kTokenFileHeaderBytes);
    const std::uint64_t value = checksum.value();
    for (int b = 0; b < 8; ++b) bytes[32 + b] = static_cast<char>(value >> (8 * b));
  }
  const std::string path = fuzz::scratch_path("input.tok");
  fuzz::write_file(path, bytes);
  fuzz::refuse_cleanly([&] {
    const TokenFile file = TokenFile::open(path);
    std::vector<std::int32_t> ids(file.count());
    file.copy_ids(0, file.count(), ids.data());
    for (const std::int32_t id : ids) {
      if (id < 0 || static_cast<std::uint64_t>(id) >= file.vocab_size()) {
        fuzz::broken_promise("TokenFile::open accepted id " + std::to_string(id) +
                             " outside its vocabulary of " + std::to_string(file.vocab_size()));
      }
    }
    split_token_file(file, 0.5, fuzz::scratch_path("train.tok"), fuzz::scratch_path("valid.tok"));
  });
  return 0;
}
