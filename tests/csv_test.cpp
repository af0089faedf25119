// RFC 4180 CSV parsing: quoting, line breaks, line numbers in errors.
#include "cuseq/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.h"

namespace cuseq {
namespace {

using Row = std::vector<std::string>;

TEST(Csv, QuotedFieldsHoldDelimitersDoubledQuotesAndNewlines) {
  const CsvTable table = parse_csv("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",plain\n");
  EXPECT_EQ(table.header, (Row{"a", "b"}));
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0], (Row{"x, y", "say \"hi\""}));
  EXPECT_EQ(table.rows[1], (Row{"two\nlines", "plain"}));
  EXPECT_EQ(table.row_lines, (std::vector<std::int64_t>{2, 3}));
}

TEST(Csv, AcceptsCrlfAndAFileWithoutAFinalNewline) {
  const CsvTable table = parse_csv("a,b\r\n1,2\r\n3,4");
  EXPECT_EQ(table.rows, (std::vector<Row>{{"1", "2"}, {"3", "4"}}));
}

TEST(Csv, KeepsEmptyFieldsAndSkipsBlankLines) {
  const CsvTable table = parse_csv("a,b,c\n,\"\",\n\n1,2,3\n");
  EXPECT_EQ(table.rows, (std::vector<Row>{{"", "", ""}, {"1", "2", "3"}}));
  EXPECT_EQ(table.row_lines, (std::vector<std::int64_t>{2, 4}));
}

TEST(Csv, DropsAByteOrderMark) {
  EXPECT_EQ(parse_csv("\xEF\xBB\xBFtext,label\nx,1\n").header, (Row{"text", "label"}));
}

TEST(Csv, ReadsTabSeparatedValues) {
  const CsvTable table = parse_csv("text\tlabel\n\"a\tb\"\t1\n", '\t');
  EXPECT_EQ(table.rows, (std::vector<Row>{{"a\tb", "1"}}));
}

TEST(Csv, FindsColumnsByNameAndListsTheHeaderWhenMissing) {
  const CsvTable table = parse_csv("split,review\ntrain,x\n", ',', "reviews.csv");
  EXPECT_EQ(table.column("review"), 1u);
  testing::expect_error_mentions([&] { table.column("score"); },
                                 {"reviews.csv", "score", "split, review"});
}

TEST(Csv, ErrorsNameTheSourceAndLine) {
  testing::expect_error_mentions([] { parse_csv("a,b\n1,2\n3\n", ',', "f.csv"); },
                                 {"f.csv", "line 3", "expected 2 fields", "got 1"});
  testing::expect_error_mentions([] { parse_csv("a\n\"x\ny\n", ',', "f.csv"); },
                                 {"f.csv", "line 2", "never closed"});
  testing::expect_error_mentions([] { parse_csv("a\n\"x\"y\n", ',', "f.csv"); },
                                 {"f.csv", "line 2", "after a closing quote"});
  testing::expect_error_mentions([] { parse_csv("a\n\"x\"\nab\"c\n", ',', "f.csv"); },
                                 {"f.csv", "line 3", "quote inside an unquoted field"});
  testing::expect_error_mentions([] { parse_csv("", ',', "f.csv"); }, {"f.csv", "empty"});
}

TEST(Csv, ReadCsvNamesAMissingFile) {
  testing::expect_error_mentions([] { read_csv("/nonexistent/reviews.csv"); },
                                 {"read_csv", "/nonexistent/reviews.csv"});
}

}  // namespace
}  // namespace cuseq
