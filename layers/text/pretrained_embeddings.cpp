#include "cuseq/pretrained_embeddings.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <string_view>
#include <vector>

#include "cuseq/error.h"

namespace cuseq {
namespace {

constexpr const char* kWhere = "load_embedding_matrix";

// The fields of a line split on spaces and tabs (fastText ends lines with a
// space; Windows files end them with CR).
std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t position = 0;
  while (position < line.size()) {
    const std::size_t begin = line.find_first_not_of(" \t\r", position);
    if (begin == std::string_view::npos) break;
    const std::size_t end = std::min(line.find_first_of(" \t\r", begin), line.size());
    fields.push_back(line.substr(begin, end - begin));
    position = end;
  }
  return fields;
}

template <class T>
bool parse_whole(std::string_view text, T& value) {
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  return error == std::errc() && stop == end;
}

// word2vec's "count dim" first line: exactly two non-negative integers.
bool is_word2vec_header(const std::vector<std::string_view>& fields, std::int64_t& count,
                        std::int64_t& dim) {
  return fields.size() == 2 && parse_whole(fields[0], count) && parse_whole(fields[1], dim) &&
         count >= 0 && dim > 0;
}

}  // namespace

EmbeddingMatrix load_embedding_matrix(
    const std::string& path, const std::unordered_map<std::string, std::int32_t>& word_index,
    std::int64_t num_words) {
  check(num_words >= 0, kWhere, "num_words must be >= 0 (0: largest index + 1), got ", num_words);
  std::int64_t rows = num_words;
  if (rows == 0) {
    rows = 1;
    for (const auto& entry : word_index) rows = std::max<std::int64_t>(rows, entry.second + 1);
  }
  std::ifstream file(path);
  check(file.is_open(), kWhere, "cannot open \"", path, "\"");

  std::int64_t dim = 0;
  std::int64_t announced_count = -1;  // from a word2vec header
  std::int64_t vectors_read = 0;
  std::vector<float> weights;
  std::vector<bool> filled;
  std::vector<float> values;
  std::string line;
  for (std::int64_t line_number = 1; std::getline(file, line); ++line_number) {
    const std::vector<std::string_view> fields = fields_of(line);
    if (fields.empty()) continue;
    if (line_number == 1) {
      std::int64_t count = 0;
      std::int64_t header_dim = 0;
      if (is_word2vec_header(fields, count, header_dim)) {
        announced_count = count;
        dim = header_dim;
        continue;
      }
    }
    if (dim == 0) dim = static_cast<std::int64_t>(fields.size()) - 1;
    check(dim > 0, kWhere, path, " line ", line_number, ": a word without values");
    check(static_cast<std::int64_t>(fields.size()) - 1 == dim, kWhere, path, " line ", line_number,
          ": expected ", dim, " values after the word, got ", fields.size() - 1);
    if (weights.empty()) {
      weights.assign(static_cast<std::size_t>(rows * dim), 0.0f);
      filled.assign(static_cast<std::size_t>(rows), false);
    }

    values.resize(static_cast<std::size_t>(dim));
    for (std::int64_t k = 0; k < dim; ++k) {
      const std::string_view field = fields[static_cast<std::size_t>(k) + 1];
      float& value = values[static_cast<std::size_t>(k)];
      check(parse_whole(field, value), kWhere, path, " line ", line_number, ": value ", k + 1,
            " \"", field, "\" is not a number");
      check(std::isfinite(value), kWhere, path, " line ", line_number, ": value ", k + 1, " \"",
            field, "\" is not finite");
    }
    ++vectors_read;
    const auto found = word_index.find(std::string(fields[0]));
    if (found == word_index.end() || found->second <= 0 || found->second >= rows) continue;
    const auto row = static_cast<std::size_t>(found->second);
    std::copy(values.begin(), values.end(),
              weights.begin() + static_cast<std::ptrdiff_t>(row * dim));
    filled[row] = true;
  }
  check(!file.bad(), kWhere, "error while reading \"", path, "\"");
  check(vectors_read > 0, kWhere, path, " holds no word vectors");
  check(announced_count < 0 || announced_count == vectors_read, kWhere, path,
        ": the header announces ", announced_count, " vectors but the file holds ", vectors_read,
        " (truncated?)");

  EmbeddingMatrix result;
  result.dim = dim;
  result.words_found = std::count(filled.begin(), filled.end(), true);
  result.weights = Tensor::from_vector<float>(weights, Shape{rows, dim});
  return result;
}

EmbeddingMatrix load_embedding_matrix(const std::string& path, const Tokenizer& tokenizer) {
  return load_embedding_matrix(path, tokenizer.word_index(), tokenizer.num_words());
}

}  // namespace cuseq
