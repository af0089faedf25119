#include "layers/keras/zip_archive.h"

#include <zip.h>

#include <memory>

#include "cuseq/error.h"

namespace cuseq::detail {
namespace {

constexpr const char* kWhere = "keras archive";

struct ArchiveCloser {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
using Archive = std::unique_ptr<zip_t, ArchiveCloser>;

std::string error_text(zip_error_t& error) {
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

}  // namespace

ZipEntries read_zip(const std::string& bytes, const std::string& source,
                    std::uint64_t max_entry_bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  check(buffer != nullptr, kWhere, "\"", source, "\": ", error_text(error));
  Archive archive(zip_open_from_source(buffer, ZIP_RDONLY | ZIP_CHECKCONS, &error));
  if (!archive) {
    zip_source_free(buffer);
    fail(kWhere, "\"", source,
         "\" is not a zip archive (a Keras 3 .keras file is one): ", error_text(error));
  }
  zip_error_fini(&error);
  ZipEntries entries;
  const zip_int64_t count = zip_get_num_entries(archive.get(), 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t stat;
    zip_stat_init(&stat);
    check(zip_stat_index(archive.get(), static_cast<zip_uint64_t>(i), 0, &stat) == 0 &&
              (stat.valid & ZIP_STAT_NAME) && (stat.valid & ZIP_STAT_SIZE),
          kWhere, "\"", source, "\": entry ", i, " cannot be read: ", zip_strerror(archive.get()));
    check(stat.size <= max_entry_bytes, kWhere, "\"", source, "\": entry \"", stat.name,
          "\" claims ", stat.size, " bytes, more than the limit of ", max_entry_bytes);
    // Deflate expands at most about 1032:1: a larger claim is a lie, found
    // before anything that size is allocated.
    check(!(stat.valid & ZIP_STAT_COMP_SIZE) || stat.size <= stat.comp_size * 1100 + 4096, kWhere,
          "\"", source, "\": entry \"", stat.name, "\" claims ", stat.size, " bytes from ",
          stat.comp_size, " compressed; the archive is corrupt");
    std::string content(static_cast<std::size_t>(stat.size), '\0');
    zip_file_t* file = zip_fopen_index(archive.get(), static_cast<zip_uint64_t>(i), 0);
    check(file != nullptr, kWhere, "\"", source, "\": cannot open entry \"", stat.name,
          "\": ", zip_strerror(archive.get()));
    const zip_int64_t read = zip_fread(file, content.data(), content.size());
    const bool complete = read == static_cast<zip_int64_t>(content.size());
    const std::string reason = complete ? "" : zip_file_strerror(file);
    zip_fclose(file);
    check(complete, kWhere, "\"", source, "\": entry \"", stat.name, "\" is corrupt: ", reason);
    entries.emplace_back(stat.name, std::move(content));
  }
  return entries;
}

std::string write_zip(const ZipEntries& entries, const std::string& destination) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* target = zip_source_buffer_create(nullptr, 0, 0, &error);
  check(target != nullptr, kWhere, "\"", destination, "\": ", error_text(error));
  zip_source_keep(target);  // the archive's close writes into it; we read it after
  std::unique_ptr<zip_source_t, decltype(&zip_source_free)> keep(target, zip_source_free);
  Archive archive(zip_open_from_source(target, ZIP_TRUNCATE, &error));
  check(archive != nullptr, kWhere, "\"", destination, "\": ", error_text(error));
  for (const auto& [name, content] : entries) {
    zip_source_t* entry =
        zip_source_buffer(archive.get(), content.data(), content.size(), /*freep=*/0);
    check(
        entry != nullptr && zip_file_add(archive.get(), name.c_str(), entry, ZIP_FL_ENC_UTF_8) >= 0,
        kWhere, "\"", destination, "\": cannot add \"", name, "\": ", zip_strerror(archive.get()));
  }
  check(zip_close(archive.get()) == 0, kWhere, "\"", destination,
        "\": ", zip_strerror(archive.get()));
  archive.release();  // zip_close freed it

  check(zip_source_open(target) == 0, kWhere, "\"", destination,
        "\": cannot read back the archive");
  zip_stat_t stat;
  zip_stat_init(&stat);
  check(zip_source_stat(target, &stat) == 0 && (stat.valid & ZIP_STAT_SIZE), kWhere, "\"",
        destination, "\": cannot size the archive");
  std::string bytes(static_cast<std::size_t>(stat.size), '\0');
  const zip_int64_t read = zip_source_read(target, bytes.data(), bytes.size());
  zip_source_close(target);
  check(read == static_cast<zip_int64_t>(bytes.size()), kWhere, "\"", destination,
        "\": cannot read back the archive");
  return bytes;
}

const std::string& zip_entry(const ZipEntries& entries, const std::string& name,
                             const std::string& source) {
  std::string names;
  for (const auto& [entry, content] : entries) {
    if (entry == name) return content;
    names += (names.empty() ? "" : ", ") + entry;
  }
  fail(kWhere, "\"", source, "\" has no ", name,
       " (a Keras 3 .keras file has one); it holds: ", names.empty() ? "nothing" : names);
}

}  // namespace cuseq::detail
