// CSV / TSV files as in RFC 4180: a header row, fields optionally in double
// quotes, which may hold the delimiter, newlines and doubled quotes ("").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cuseq/export.h"

namespace cuseq {

struct CUSEQ_API CsvTable {
  std::string source;                          // file name, for error messages
  std::vector<std::string> header;             // the first record
  std::vector<std::vector<std::string>> rows;  // each with header.size() fields
  std::vector<std::int64_t> row_lines;         // 1-based line where each row starts

  // The position of column `name`; throws cuseq::Error listing the header
  // when there is none.
  std::size_t column(const std::string& name) const;
};

// Parses `content`. Records end at LF, CRLF or CR outside quotes; blank lines
// are skipped; a UTF-8 byte-order mark is dropped. Throws cuseq::Error naming
// `source` and the line for an unterminated quote, a quote inside an unquoted
// field, text after a closing quote, or a row whose field count differs from
// the header's.
CUSEQ_API CsvTable parse_csv(const std::string& content, char delimiter = ',',
                             const std::string& source = "<csv text>");
CUSEQ_API CsvTable read_csv(const std::string& path, char delimiter = ',');

}  // namespace cuseq
