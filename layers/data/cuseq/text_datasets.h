// Labelled text from disk: the aclImdb directory layout and CSV/TSV files.
#pragma once

#include <cstdint>
#include <map>
#include <set>
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
  // Labels: with label_map, each label must be one of its keys (or, with
  // skip_other_labels, rows with other labels are left out: a subset of the
  // classes); otherwise, with positive_label, 1 where the label equals it and
  // 0 elsewhere; otherwise the label must be an integer.
  std::map<std::string, std::int32_t> label_map;
  bool skip_other_labels = false;
  std::string positive_label;
  // When filter_column is set, only rows whose value there is one of
  // filter_values (e.g. split in {"train"}) are kept.
  std::string filter_column;
  std::set<std::string> filter_values;
};

// Text and label columns, chosen by header name, of a CSV/TSV file (see
// cuseq/csv.h for the quoting rules). Errors name the file and the line.
CUSEQ_API TextDataset load_text_csv(const std::string& path, const CsvTextOptions& options = {});

}  // namespace cuseq
