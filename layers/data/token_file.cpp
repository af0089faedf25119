#include "cuseq/token_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "cuseq/error.h"
#include "layers/data/token_file_header.h"

namespace cuseq {
namespace {

constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

// Closes a file descriptor on every path out of open().
struct FileDescriptor {
  int fd;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

std::string where_for(const std::string& path) { return "TokenFile " + path; }

// Reads exactly `count` bytes at `offset`; false at a short read.
bool read_at(int fd, void* out, std::size_t count, std::uint64_t offset) {
  auto* cursor = static_cast<char*>(out);
  while (count > 0) {
    const ssize_t got = ::pread(fd, cursor, count, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    cursor += got;
    offset += static_cast<std::uint64_t>(got);
    count -= static_cast<std::size_t>(got);
  }
  return true;
}

struct PayloadScan {
  std::uint64_t checksum = 0;
  std::uint32_t max_id = 0;
  std::uint64_t max_id_at = 0;
};

// The payload's checksum and largest id, in one streaming pass.
PayloadScan scan_payload(const std::string& path, std::uint64_t payload_bytes,
                         std::uint32_t token_bytes) {
  const FileDescriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  check(file.fd >= 0, where_for(path), "cannot open: ", std::strerror(errno));
  std::vector<unsigned char> buffer(std::size_t{1} << 20);
  TokenChecksum checksum;
  PayloadScan scan;
  std::uint64_t offset = kTokenFileHeaderBytes;
  std::uint64_t left = payload_bytes;
  while (left > 0) {
    // Whole ids per chunk: the buffer's size is a multiple of 2 and 4.
    const std::size_t chunk = left < buffer.size() ? static_cast<std::size_t>(left) : buffer.size();
    check(read_at(file.fd, buffer.data(), chunk, offset), where_for(path),
          "truncated while reading the payload at byte ", offset);
    checksum.update(buffer.data(), chunk);
    for (std::size_t i = 0; i + token_bytes <= chunk; i += token_bytes) {
      std::uint32_t id = 0;
      for (std::uint32_t b = token_bytes; b-- > 0;) id = (id << 8) | buffer[i + b];
      if (id > scan.max_id) {
        scan.max_id = id;
        scan.max_id_at = (offset + i - kTokenFileHeaderBytes) / token_bytes;
      }
    }
    offset += chunk;
    left -= chunk;
  }
  scan.checksum = checksum.value();
  return scan;
}

}  // namespace

std::string token_unit_name(TokenUnit unit) {
  switch (unit) {
    case TokenUnit::byte:
      return "byte";
    case TokenUnit::utf8_char:
      return "char";
    case TokenUnit::word:
      return "word";
  }
  return "unknown";
}

void TokenChecksum::absorb(std::uint64_t word) { state_ = (state_ ^ word) * kFnvPrime; }

void TokenChecksum::update(const void* bytes, std::size_t count) {
  const auto* in = static_cast<const unsigned char*>(bytes);
  length_ += count;
  while (count > 0 && pending_count_ > 0) {
    pending_[pending_count_++] = *in++;
    --count;
    if (pending_count_ == 8) {
      std::uint64_t word = 0;
      for (int b = 7; b >= 0; --b) word = (word << 8) | pending_[b];
      absorb(word);
      pending_count_ = 0;
    }
  }
  for (; count >= 8; count -= 8, in += 8) {
    std::uint64_t word = 0;
    for (int b = 7; b >= 0; --b) word = (word << 8) | in[b];  // compiles to one load on x86
    absorb(word);
  }
  for (; count > 0; --count) pending_[pending_count_++] = *in++;
}

std::uint64_t TokenChecksum::value() const {
  std::uint64_t state = state_;
  if (pending_count_ > 0) {
    std::uint64_t word = 0;
    for (int b = static_cast<int>(pending_count_) - 1; b >= 0; --b)
      word = (word << 8) | pending_[b];
    state = (state ^ word) * kFnvPrime;
  }
  return (state ^ length_) * kFnvPrime;
}

TokenFile TokenFile::open(const std::string& path, TokenFileOptions options) {
  const std::string where = where_for(path);
  const FileDescriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  check(file.fd >= 0, where, "cannot open: ", std::strerror(errno));
  struct stat status {};
  check(::fstat(file.fd, &status) == 0, where, "cannot stat: ", std::strerror(errno));
  const auto size = static_cast<std::uint64_t>(status.st_size);
  check(size >= kTokenFileHeaderBytes, where, "truncated: ", size, " bytes, shorter than the ",
        kTokenFileHeaderBytes, "-byte header");
  unsigned char header_bytes[kTokenFileHeaderBytes];
  check(read_at(file.fd, header_bytes, sizeof header_bytes, 0), where, "cannot read the header");
  const detail::TokenFileHeader header = detail::decode_header(header_bytes, path);
  const std::uint64_t payload_bytes = header.count * header.token_bytes;
  check(header.count <= (UINT64_MAX - kTokenFileHeaderBytes) / header.token_bytes &&
            size == kTokenFileHeaderBytes + payload_bytes,
        where, size < kTokenFileHeaderBytes + payload_bytes ? "truncated" : "corrupt",
        ": the header promises ", header.count, " tokens of ", header.token_bytes, " bytes (",
        kTokenFileHeaderBytes + payload_bytes, " bytes in all) but the file has ", size, " bytes");

  TokenFile result;
  result.path_ = path;
  result.count_ = header.count;
  result.vocab_size_ = header.vocab_size;
  result.checksum_ = header.checksum;
  result.token_bytes_ = header.token_bytes;
  result.unit_ = header.unit;
  result.mapping_bytes_ = static_cast<std::size_t>(size);
  void* mapping = ::mmap(nullptr, result.mapping_bytes_, PROT_READ, MAP_SHARED, file.fd, 0);
  check(mapping != MAP_FAILED, where, "cannot mmap ", size, " bytes: ", std::strerror(errno));
  result.mapping_ = static_cast<const unsigned char*>(mapping);
  if (options.verify_checksum) result.verify();
  return result;
}

TokenFile::~TokenFile() { release(); }

void TokenFile::release() {
  if (mapping_ != nullptr) ::munmap(const_cast<unsigned char*>(mapping_), mapping_bytes_);
  mapping_ = nullptr;
}

TokenFile::TokenFile(TokenFile&& other) noexcept { *this = std::move(other); }

TokenFile& TokenFile::operator=(TokenFile&& other) noexcept {
  if (this != &other) {
    release();
    path_ = std::move(other.path_);
    mapping_ = std::exchange(other.mapping_, nullptr);
    mapping_bytes_ = other.mapping_bytes_;
    count_ = other.count_;
    vocab_size_ = other.vocab_size_;
    checksum_ = other.checksum_;
    token_bytes_ = other.token_bytes_;
    unit_ = other.unit_;
  }
  return *this;
}

void TokenFile::verify() const {
  const PayloadScan scan = scan_payload(path_, count_ * token_bytes_, token_bytes_);
  check(scan.checksum == checksum_, where_for(path_), "corrupt: the payload checksum is ",
        scan.checksum, " but the header says ", checksum_);
  check(count_ == 0 || scan.max_id < vocab_size_, where_for(path_), "corrupt: token ",
        scan.max_id_at, " has id ", scan.max_id, ", outside the vocabulary of ", vocab_size_);
}

std::uint32_t TokenFile::operator[](std::uint64_t index) const {
  check(index < count_, where_for(path_), "token index ", index, " out of range [0, ", count_, ")");
  std::int32_t id;
  copy_ids(index, 1, &id);
  return static_cast<std::uint32_t>(id);
}

void TokenFile::copy_ids(std::uint64_t begin, std::uint64_t count, std::int32_t* out) const {
  check(begin <= count_ && count <= count_ - begin, where_for(path_), "tokens [", begin, ", ",
        begin + count, ") out of range [0, ", count_, ")");
  const unsigned char* in = mapping_ + kTokenFileHeaderBytes + begin * token_bytes_;
  if (token_bytes_ == 2) {
    for (std::uint64_t i = 0; i < count; ++i) {
      out[i] = static_cast<std::int32_t>(in[2 * i] | (in[2 * i + 1] << 8));
    }
  } else {
    for (std::uint64_t i = 0; i < count; ++i) {
      std::uint32_t id;
      std::memcpy(&id, in + 4 * i, 4);  // little-endian hosts (x86, ARM) only
      out[i] = static_cast<std::int32_t>(id);
    }
  }
}

}  // namespace cuseq
