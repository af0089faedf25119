// Labelled text from disk: the aclImdb directory layout and CSV/TSV files.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cuseq/export.h"

namespace cuseq {

struct TextDataset {
  std::vector<std::string> texts;
  std::vector<std::int32_t> labels;  // one per text
};

// The aclImdb layout: every *.txt file of <directory>/neg (label 0) then of
// <directory>/pos (label 1), each folder in file-name order, so the result is
// the same on every machine. Other entries (e.g. unsup/) are ignored.
CUSEQ_API TextDataset load_text_directory(const std::string& directory);

struct CsvTextOptions {
  std::string text_column = "text";
  std::string label_column = "label";
  // 0: a tab for *.tsv files, a comma otherwise.
  char delimiter = 0;
  // Labels: with label_map, each label must be one of its keys; otherwise,
  // with positive_label, 1 where the label equals it and 0 elsewhere;
  // otherwise the label must be an integer.
  std::map<std::string, std::int32_t> label_map;
  std::string positive_label;
  // When filter_column is set, only rows whose value there equals
  // filter_value (e.g. split == "train") are kept.
  std::string filter_column;
  std::string filter_value;
};

// Text and label columns, chosen by header name, of a CSV/TSV file (see
// cuseq/csv.h for the quoting rules). Errors name the file and the line.
CUSEQ_API TextDataset load_text_csv(const std::string& path, const CsvTextOptions& options = {});

}  // namespace cuseq
