#include "layers/io/binary_io.h"

#include <array>
#include <cstring>

#include "cuseq/error.h"

namespace cuseq::detail {
namespace {

// Tensor payloads are copied as they lie in memory, which is little-endian on
// every platform cuseq builds for (x86-64, AArch64); this guards the assumption.
bool host_is_little_endian() {
  const std::uint32_t probe = 1;
  unsigned char first;
  std::memcpy(&first, &probe, 1);
  return first == 1;
}

const std::array<std::uint32_t, 256>& crc_table() {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> entries{};
    for (std::uint32_t n = 0; n < 256; ++n) {
      std::uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      entries[n] = c;
    }
    return entries;
  }();
  return table;
}

constexpr std::uint32_t kMaxRank = 16;

}  // namespace

std::uint32_t crc32(const std::string& bytes) {
  const auto& table = crc_table();
  std::uint32_t c = 0xFFFFFFFFu;
  for (const char byte : bytes) c = table[(c ^ static_cast<unsigned char>(byte)) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void ByteWriter::u32(std::uint32_t value) {
  for (int i = 0; i < 4; ++i) u8(static_cast<std::uint8_t>(value >> (8 * i)));
}

void ByteWriter::u64(std::uint64_t value) {
  for (int i = 0; i < 8; ++i) u8(static_cast<std::uint8_t>(value >> (8 * i)));
}

void ByteWriter::f64(double value) {
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  u64(bits);
}

void ByteWriter::string(const std::string& value) {
  u32(static_cast<std::uint32_t>(value.size()));
  bytes_ += value;
}

void ByteWriter::tensor(const Tensor& tensor) {
  check(host_is_little_endian(), "save", "cuseq files are little-endian; this host is not");
  const Tensor host = tensor.to(Device::cpu());
  u8(dtype_code(host.dtype()));
  u32(static_cast<std::uint32_t>(host.rank()));
  for (const std::int64_t extent : host.shape().dims()) i64(extent);
  bytes_.append(static_cast<const char*>(host.raw_data()), host.nbytes());
}

const char* ByteReader::take(std::size_t count, const char* what) {
  if (count > bytes_.size() - position_) {
    corrupt(std::string("truncated: expected ") + std::to_string(count) + " bytes of " + what +
            ", only " + std::to_string(bytes_.size() - position_) + " remain");
  }
  const char* start = bytes_.data() + position_;
  position_ += count;
  return start;
}

std::uint8_t ByteReader::u8(const char* what) { return static_cast<std::uint8_t>(*take(1, what)); }

std::uint32_t ByteReader::u32(const char* what) {
  const auto* p = reinterpret_cast<const unsigned char*>(take(4, what));
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= static_cast<std::uint32_t>(p[i]) << (8 * i);
  return value;
}

std::uint64_t ByteReader::u64(const char* what) {
  const auto* p = reinterpret_cast<const unsigned char*>(take(8, what));
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value |= static_cast<std::uint64_t>(p[i]) << (8 * i);
  return value;
}

double ByteReader::f64(const char* what) {
  const std::uint64_t bits = u64(what);
  double value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

std::string ByteReader::string(const char* what) {
  const std::uint32_t length = u32(what);
  return std::string(take(length, what), length);
}

std::string ByteReader::raw(std::size_t count, const char* what) {
  return std::string(take(count, what), count);
}

Tensor ByteReader::tensor(const std::string& what) {
  check(host_is_little_endian(), "load", "cuseq files are little-endian; this host is not");
  const DType dtype = dtype_from_code(u8("a dtype"), *this);
  const std::uint32_t rank = u32("a rank");
  if (rank > kMaxRank) corrupt("tensor \"" + what + "\" claims rank " + std::to_string(rank));
  // Extents are bounded by the bytes left, so their product cannot overflow.
  const std::uint64_t remaining = bytes_.size() - position_;
  std::vector<std::int64_t> dims;
  std::uint64_t count = 1;
  for (std::uint32_t i = 0; i < rank; ++i) {
    const std::int64_t extent = i64("an extent");
    if (extent < 0 || (extent > 0 && count > remaining / static_cast<std::uint64_t>(extent))) {
      corrupt("tensor \"" + what + "\" has an impossible extent " + std::to_string(extent));
    }
    count *= static_cast<std::uint64_t>(extent);
    dims.push_back(extent);
  }
  Tensor tensor = Tensor::empty(Shape(dims), dtype);
  const std::string name = "tensor \"" + what + "\"";
  std::memcpy(tensor.raw_data(), take(tensor.nbytes(), name.c_str()), tensor.nbytes());
  return tensor;
}

void ByteReader::corrupt(const std::string& message) const {
  fail("load", "\"", source_, "\" at byte ", position_, ": ", message);
}

std::uint8_t dtype_code(DType dtype) {
  switch (dtype) {
    case DType::float32:
      return 1;
    case DType::float64:
      return 2;
    case DType::int32:
      return 3;
    case DType::float16:
      return 4;
    case DType::bfloat16:
      return 5;
  }
  return 0;
}

DType dtype_from_code(std::uint8_t code, const ByteReader& reader) {
  switch (code) {
    case 1:
      return DType::float32;
    case 2:
      return DType::float64;
    case 3:
      return DType::int32;
    case 4:
      return DType::float16;
    case 5:
      return DType::bfloat16;
    default:
      reader.corrupt("unknown dtype code " + std::to_string(code));
  }
}

}  // namespace cuseq::detail
