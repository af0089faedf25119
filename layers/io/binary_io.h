// Little-endian encoding for cuseq's binary files (docs/model_format.md):
// a writer that appends to a byte string and a reader that checks every read
// against the end of the data, so a truncated file is a clear error, never an
// out-of-bounds read.
#pragma once

#include <cstdint>
#include <string>

#include "cuseq/tensor.h"

namespace cuseq::detail {

// CRC-32 (IEEE 802.3, the zlib / PNG polynomial) of `bytes`.
std::uint32_t crc32(const std::string& bytes);

class ByteWriter {
 public:
  void u8(std::uint8_t value) { bytes_.push_back(static_cast<char>(value)); }
  void u32(std::uint32_t value);
  void u64(std::uint64_t value);
  void i64(std::int64_t value) { u64(static_cast<std::uint64_t>(value)); }
  void f64(double value);
  void string(const std::string& value);  // u32 length, then the bytes
  void raw(const std::string& value) { bytes_ += value; }
  // dtype (u8), rank (u32), extents (i64 each), then the elements little-endian.
  void tensor(const Tensor& tensor);
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

class ByteReader {
 public:
  // `source` names the file in errors.
  ByteReader(const std::string& bytes, std::string source)
      : bytes_(bytes), source_(std::move(source)) {}
  std::uint8_t u8(const char* what);
  std::uint32_t u32(const char* what);
  std::uint64_t u64(const char* what);
  std::int64_t i64(const char* what) { return static_cast<std::int64_t>(u64(what)); }
  double f64(const char* what);
  std::string string(const char* what);
  std::string raw(std::size_t count, const char* what);
  Tensor tensor(const std::string& what);  // on the CPU
  std::size_t position() const { return position_; }
  std::size_t size() const { return bytes_.size(); }
  bool at_end() const { return position_ == bytes_.size(); }
  const std::string& source() const { return source_; }
  // Throws a cuseq::Error naming the file and the position.
  [[noreturn]] void corrupt(const std::string& message) const;

 private:
  const char* take(std::size_t count, const char* what);

  const std::string& bytes_;
  std::string source_;
  std::size_t position_ = 0;
};

// The one-byte codes of dtypes in files (stable across versions).
std::uint8_t dtype_code(DType dtype);
DType dtype_from_code(std::uint8_t code, const ByteReader& reader);

}  // namespace cuseq::detail
