#include <cstring>

#include "cuseq/error.h"
#include "cuseq/token_file.h"
#include "layers/data/token_file_header.h"
#include "layers/io/atomic_output.h"

namespace cuseq {
namespace {

constexpr const char* kWhere = "TokenFileWriter";
constexpr std::size_t kBufferBytes = 1 << 20;

}  // namespace

TokenFileWriter::TokenFileWriter(std::string path, std::uint64_t vocab_size, TokenUnit unit)
    : vocab_size_(vocab_size), unit_(unit), token_bytes_(vocab_size <= 65536 ? 2 : 4) {
  check(vocab_size > 0 && vocab_size <= 0x80000000ULL, kWhere,
        "vocab_size must be in [1, 2^31] (ids are int32), got ", vocab_size);
  output_ = std::make_unique<detail::AtomicOutput>(std::move(path), kWhere);
  // A zero header until finish() knows the count and checksum: a crash
  // leaves only the temporary file, never a plausible-looking token file.
  const unsigned char zeros[kTokenFileHeaderBytes] = {};
  output_->write(zeros, sizeof zeros);
  buffer_.reserve(kBufferBytes);
}

TokenFileWriter::~TokenFileWriter() = default;

void TokenFileWriter::append(const std::uint32_t* ids, std::size_t count) {
  check(output_ != nullptr, kWhere, "append() after finish()");
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint32_t id = ids[i];
    check(id < vocab_size_, kWhere, "id ", id, " out of range for vocab_size ", vocab_size_);
    for (std::uint32_t b = 0; b < token_bytes_; ++b) {
      buffer_.push_back(static_cast<unsigned char>(id >> (8 * b)));
    }
    if (buffer_.size() >= kBufferBytes) flush();
  }
  count_ += count;
}

void TokenFileWriter::flush() {
  checksum_.update(buffer_.data(), buffer_.size());
  output_->write(buffer_.data(), buffer_.size());
  buffer_.clear();
}

void TokenFileWriter::finish() {
  check(output_ != nullptr, kWhere, "finish() called twice");
  flush();
  detail::TokenFileHeader header;
  header.token_bytes = token_bytes_;
  header.count = count_;
  header.vocab_size = vocab_size_;
  header.checksum = checksum_.value();
  header.unit = unit_;
  const auto bytes = detail::encode_header(header);
  output_->write_at(0, bytes.data(), bytes.size());
  output_->commit();
  output_.reset();
}

}  // namespace cuseq
