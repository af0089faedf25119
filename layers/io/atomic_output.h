// A file written in pieces and published atomically: the bytes go to
// "<path>.tmp.<pid>", and commit() fsyncs it, renames it over `path` and fsyncs
// the directory, so readers see the old file or the complete new one, even when
// the writer dies mid-write. A symlink at `path` stays: its target is replaced.
// A `path` that exists as anything but a regular file (a device, a fifo) is
// refused. Temporary files of writers that died (their pid no longer runs)
// are removed when the next writer of the same path starts. It streams, so the content never has to
// fit in memory; write_file_atomically (atomic_file.h) is its one-buffer case.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace cuseq::detail {

class AtomicOutput {
 public:
  // `where` names the caller in errors (which also name the path and errno).
  AtomicOutput(std::string path, std::string where);
  ~AtomicOutput();  // removes the temporary file unless committed
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  void write(const void* bytes, std::size_t count);
  // Overwrites bytes already written (e.g. a header whose counts are known last).
  void write_at(std::uint64_t offset, const void* bytes, std::size_t count);
  // Forces the bytes so far to disk (fsync), so that a failure to store them
  // shows before commit(): e.g. before a companion file is committed.
  void sync();
  void commit();
  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void fail_with_errno(const std::string& what) const;
  std::string path_;
  std::string temporary_path_;
  std::string where_;
  int fd_ = -1;
};

}  // namespace cuseq::detail
