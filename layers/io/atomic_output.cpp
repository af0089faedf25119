#include "layers/io/atomic_output.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <string>

#include "cuseq/error.h"

namespace cuseq::detail {
namespace {

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string name_of(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

constexpr const char* kTemporaryInfix = ".tmp.";

// The file a write to `path` must replace: a symlink's final target (the
// rename must replace the target, not the link); the path itself otherwise.
std::string resolve_links(const std::string& path, const std::string& where) {
  std::string resolved = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat status {};
    if (::lstat(resolved.c_str(), &status) != 0 || !S_ISLNK(status.st_mode)) return resolved;
    std::string target(PATH_MAX, '\0');
    const ssize_t length = ::readlink(resolved.c_str(), target.data(), target.size());
    check(length > 0, where, "cannot read the symlink ", resolved, ": ", std::strerror(errno));
    target.resize(static_cast<std::size_t>(length));
    resolved = target[0] == '/' ? target : directory_of(resolved) + "/" + target;
  }
  fail(where, "too many levels of symlinks at ", path);
}

// Removes "<name>.tmp.<pid>" files beside `path` left by writers that died
// (killed mid-write): their process is gone. Live writers' files stay.
void remove_dead_writers_files(const std::string& path) {
  const std::string prefix = name_of(path) + kTemporaryInfix;
  const std::string directory = directory_of(path);
  DIR* folder = ::opendir(directory.c_str());
  if (folder == nullptr) return;  // the write itself reports the problem
  while (const dirent* entry = ::readdir(folder)) {
    const std::string name = entry->d_name;
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(digits));
    if (pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH) {
      ::unlink((directory + "/" + name).c_str());
    }
  }
  ::closedir(folder);
}

}  // namespace

AtomicOutput::AtomicOutput(std::string path, std::string where)
    : path_(resolve_links(path, where)), where_(std::move(where)) {
  // Renaming over a device or a fifo would replace it with a regular file.
  struct stat status {};
  if (::stat(path_.c_str(), &status) == 0 && !S_ISREG(status.st_mode)) {
    fail(where_, "cannot write ", path, ": it exists and is not a regular file");
  }
  remove_dead_writers_files(path_);
  temporary_path_ = path_ + kTemporaryInfix + std::to_string(::getpid());
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

void AtomicOutput::sync() {
  check(fd_ >= 0, where_, "sync() after commit() for ", path_);
  if (::fsync(fd_) != 0) fail_with_errno("cannot fsync " + temporary_path_);
}

void AtomicOutput::commit() {
  check(fd_ >= 0, where_, "commit() called twice for ", path_);
  sync();
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
