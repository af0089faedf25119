#include "layers/detail/atomic_output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cuseq/error.h"

namespace cuseq::detail {
namespace {

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

AtomicOutput::AtomicOutput(std::string path, std::string where)
    : path_(std::move(path)),
      temporary_path_(path_ + ".tmp." + std::to_string(::getpid())),
      where_(std::move(where)) {
  fd_ = ::open(temporary_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) fail_with_errno("cannot create " + temporary_path_);
}

AtomicOutput::~AtomicOutput() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(temporary_path_.c_str());
  }
}

void AtomicOutput::fail_with_errno(const std::string& what) const {
  fail(where_, what, " (for ", path_, "): ", std::strerror(errno));
}

void AtomicOutput::write(const void* bytes, std::size_t count) {
  const char* cursor = static_cast<const char*>(bytes);
  while (count > 0) {
    const ssize_t written = ::write(fd_, cursor, count);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) fail_with_errno("cannot write " + temporary_path_);
    cursor += written;
    count -= static_cast<std::size_t>(written);
  }
}

void AtomicOutput::write_at(std::uint64_t offset, const void* bytes, std::size_t count) {
  const char* cursor = static_cast<const char*>(bytes);
  while (count > 0) {
    const ssize_t written = ::pwrite(fd_, cursor, count, static_cast<off_t>(offset));
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) fail_with_errno("cannot write " + temporary_path_);
    cursor += written;
    offset += static_cast<std::uint64_t>(written);
    count -= static_cast<std::size_t>(written);
  }
}

void AtomicOutput::commit() {
  check(fd_ >= 0, where_, "commit() called twice for ", path_);
  if (::fsync(fd_) != 0) fail_with_errno("cannot fsync " + temporary_path_);
  if (::close(fd_) != 0) {
    fd_ = -1;
    ::unlink(temporary_path_.c_str());
    fail_with_errno("cannot close " + temporary_path_);
  }
  fd_ = -1;
  if (::rename(temporary_path_.c_str(), path_.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temporary_path_.c_str());
    errno = saved;
    fail_with_errno("cannot rename " + temporary_path_);
  }
  // The rename itself survives a power loss only once the directory is synced.
  const std::string directory = directory_of(path_);
  const int directory_fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory_fd < 0) fail_with_errno("cannot open directory " + directory);
  const bool synced = ::fsync(directory_fd) == 0;
  const int saved = errno;
  ::close(directory_fd);
  errno = saved;
  if (!synced) fail_with_errno("cannot fsync directory " + directory);
}

}  // namespace cuseq::detail
