#include "cuseq/text_datasets.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <functional>
#include <optional>

#include "cuseq/csv.h"
#include "cuseq/error.h"
#include "layers/io/read_file.h"

namespace cuseq {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCsvWhere = "load_text_csv";

// The *.txt files directly in `folder`, sorted by name.
std::vector<fs::path> text_files_in(const fs::path& folder, const char* where) {
  std::error_code error;
  check(fs::is_directory(folder, error), where, "expected a folder \"", folder.string(),
        "\" (the aclImdb layout has pos/ and neg/)");
  std::vector<fs::path> files;
  fs::directory_iterator entries(folder, error);
  check(!error, where, "cannot list \"", folder.string(), "\": ", error.message());
  for (const fs::directory_entry& entry : entries) {
    if (entry.is_regular_file() && entry.path().extension() == ".txt")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
    return a.filename().string() < b.filename().string();
  });
  return files;
}

// A row's label, or none when the row is left out (skip_other_labels).
using LabelFunction =
    std::function<std::optional<std::int32_t>(const std::string& label, std::int64_t line)>;

LabelFunction make_label_function(const CsvTextOptions& options, const std::string& path) {
  check(options.label_map.empty() || options.positive_label.empty(), kCsvWhere,
        "give label_map or positive_label, not both");
  check(!options.skip_other_labels || !options.label_map.empty(), kCsvWhere,
        "skip_other_labels keeps the labels of label_map: give label_map");
  if (!options.label_map.empty()) {
    return [&map = options.label_map, skip = options.skip_other_labels, path](
               const std::string& label, std::int64_t line) -> std::optional<std::int32_t> {
      const auto found = map.find(label);
      if (found == map.end() && skip) return std::nullopt;
      check(found != map.end(), kCsvWhere, path, " line ", line, ": label \"", label,
            "\" is not in label_map (set skip_other_labels to leave such rows out)");
      return found->second;
    };
  }
  if (!options.positive_label.empty()) {
    return [&positive = options.positive_label](const std::string& label,
                                                std::int64_t) -> std::optional<std::int32_t> {
      return label == positive ? 1 : 0;
    };
  }
  return [path](const std::string& label, std::int64_t line) -> std::optional<std::int32_t> {
    std::int32_t value = 0;
    const char* end = label.data() + label.size();
    const auto [stop, error] = std::from_chars(label.data(), end, value);
    check(error == std::errc() && stop == end && !label.empty(), kCsvWhere, path, " line ", line,
          ": label \"", label,
          "\" is not an integer (give positive_label or label_map to map text labels)");
    return value;
  };
}

char delimiter_for(const CsvTextOptions& options, const std::string& path) {
  if (options.delimiter != 0) return options.delimiter;
  return fs::path(path).extension() == ".tsv" ? '\t' : ',';
}

}  // namespace

TextDataset load_text_directory(const std::string& directory) {
  constexpr const char* where = "load_text_directory";
  TextDataset dataset;
  const std::pair<const char*, std::int32_t> classes[] = {{"neg", 0}, {"pos", 1}};
  for (const auto& [folder, label] : classes) {
    for (const fs::path& file : text_files_in(fs::path(directory) / folder, where)) {
      dataset.texts.push_back(detail::read_file_bytes(file.string(), where));
      dataset.labels.push_back(label);
    }
  }
  return dataset;
}

TextDataset load_text_csv(const std::string& path, const CsvTextOptions& options) {
  const CsvTable table = read_csv(path, delimiter_for(options, path));
  const std::size_t text_column = table.column(options.text_column);
  const std::size_t label_column = table.column(options.label_column);
  const bool filtered = !options.filter_column.empty();
  check(!filtered || !options.filter_values.empty(), kCsvWhere, "filter_column \"",
        options.filter_column, "\" needs filter_values (the values to keep)");
  const std::size_t filter_column = filtered ? table.column(options.filter_column) : 0;
  const LabelFunction label_of = make_label_function(options, path);

  TextDataset dataset;
  for (std::size_t row = 0; row < table.rows.size(); ++row) {
    const std::vector<std::string>& fields = table.rows[row];
    if (filtered && options.filter_values.count(fields[filter_column]) == 0) continue;
    const std::optional<std::int32_t> label = label_of(fields[label_column], table.row_lines[row]);
    if (!label) continue;
    dataset.texts.push_back(fields[text_column]);
    dataset.labels.push_back(*label);
  }
  return dataset;
}

}  // namespace cuseq
