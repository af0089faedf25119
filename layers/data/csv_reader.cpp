#include <utility>

#include "cuseq/csv.h"
#include "cuseq/error.h"
#include "layers/io/read_file.h"

namespace cuseq {
namespace {

constexpr const char* kWhere = "read_csv";

// A character-at-a-time RFC 4180 state machine.
class CsvParser {
 public:
  CsvParser(const std::string& content, char delimiter, const std::string& source)
      : content_(content), delimiter_(delimiter), source_(source) {
    check(delimiter != '"' && delimiter != '\n' && delimiter != '\r', kWhere,
          "the delimiter cannot be a quote or a line break");
  }

  std::vector<std::pair<std::int64_t, std::vector<std::string>>> records() {
    std::size_t position = content_.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    for (; position < content_.size(); ++position) {
      const char c = content_[position];
      const bool line_break = c == '\n' || c == '\r';
      bool ends_line = c == '\n';
      if (c == '\r') {
        const bool crlf = position + 1 < content_.size() && content_[position + 1] == '\n';
        if (crlf && state_ != State::quoted) ++position;  // CRLF ends a record once
        ends_line = !crlf || state_ != State::quoted;     // inside quotes the LF counts the line
      }
      switch (state_) {
        case State::field_start:
          if (c == '"') {
            state_ = State::quoted;
          } else if (c == delimiter_) {
            end_field();
          } else if (line_break) {
            end_record();
          } else {
            field_ += c;
            state_ = State::unquoted;
          }
          break;
        case State::unquoted:
          if (c == delimiter_) {
            end_field();
          } else if (line_break) {
            end_record();
          } else {
            check(c != '"', kWhere, source_, " line ", line_,
                  ": a quote inside an unquoted field (quote the whole field and double the "
                  "quote)");
            field_ += c;
          }
          break;
        case State::quoted:
          if (c == '"') {
            state_ = State::after_quote;
          } else {
            field_ += c;
          }
          break;
        case State::after_quote:
          if (c == '"') {
            field_ += '"';
            state_ = State::quoted;
          } else if (c == delimiter_) {
            end_field();
          } else if (line_break) {
            end_record();
          } else {
            fail(kWhere, source_, " line ", line_, ": unexpected '", c,
                 "' after a closing quote (expected the delimiter or the end of the line)");
          }
          break;
      }
      if (ends_line) ++line_;
    }
    check(state_ != State::quoted, kWhere, source_, ": a quoted field that starts on line ",
          record_line_, " is never closed");
    if (state_ != State::field_start || !fields_.empty()) end_record();
    return std::move(records_);
  }

 private:
  enum class State { field_start, unquoted, quoted, after_quote };

  void end_field() {
    fields_.push_back(std::move(field_));
    field_.clear();
    state_ = State::field_start;
  }

  void end_record() {
    const bool blank_line = state_ == State::field_start && fields_.empty();
    if (!blank_line) {
      end_field();
      records_.emplace_back(record_line_, std::move(fields_));
      fields_.clear();
    }
    state_ = State::field_start;
    record_line_ = line_ + 1;  // the next record starts after this line break
  }

  const std::string& content_;
  const char delimiter_;
  const std::string& source_;
  State state_ = State::field_start;
  std::string field_;
  std::vector<std::string> fields_;
  std::vector<std::pair<std::int64_t, std::vector<std::string>>> records_;
  std::int64_t line_ = 1;
  std::int64_t record_line_ = 1;
};

}  // namespace

std::size_t CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  std::string columns;
  for (const std::string& column_name : header) {
    columns += (columns.empty() ? "" : ", ") + column_name;
  }
  fail(kWhere, source, " has no column \"", name, "\"; its columns are: ", columns);
}

CsvTable parse_csv(const std::string& content, char delimiter, const std::string& source) {
  auto records = CsvParser(content, delimiter, source).records();
  check(!records.empty(), kWhere, source, " is empty: expected a header row");
  CsvTable table;
  table.source = source;
  table.header = std::move(records.front().second);
  table.rows.reserve(records.size() - 1);
  table.row_lines.reserve(records.size() - 1);
  for (std::size_t i = 1; i < records.size(); ++i) {
    auto& [line, fields] = records[i];
    check(fields.size() == table.header.size(), kWhere, source, " line ", line, ": expected ",
          table.header.size(), " fields as in the header, got ", fields.size());
    table.rows.push_back(std::move(fields));
    table.row_lines.push_back(line);
  }
  return table;
}

CsvTable read_csv(const std::string& path, char delimiter) {
  return parse_csv(detail::read_file_bytes(path, kWhere), delimiter, path);
}

}  // namespace cuseq
