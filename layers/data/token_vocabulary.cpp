// Vocabulary files of token files: one escaped token per line.
#include <fstream>

#include "cuseq/error.h"
#include "cuseq/token_file.h"
#include "layers/data/vocabulary_text.h"
#include "layers/io/atomic_output.h"

namespace cuseq {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string escape_token(const std::string& token) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(token.size());
  for (const char c : token) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    } else {
      out += c;
    }
  }
  return out;
}

std::string unescape_token(const std::string& line) {
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] != '\\') {
      out += line[i];
      continue;
    }
    check(i + 1 < line.size(), "read_vocabulary", "dangling backslash in \"", line, "\"");
    const char code = line[++i];
    if (code == '\\') {
      out += '\\';
    } else if (code == 'n') {
      out += '\n';
    } else if (code == 'r') {
      out += '\r';
    } else if (code == 't') {
      out += '\t';
    } else {
      check(code == 'x' && i + 2 < line.size() && hex_value(line[i + 1]) >= 0 &&
                hex_value(line[i + 2]) >= 0,
            "read_vocabulary", "bad escape \"\\", code, "\" in \"", line, "\"");
      out += static_cast<char>(hex_value(line[i + 1]) * 16 + hex_value(line[i + 2]));
      i += 2;
    }
  }
  return out;
}

namespace detail {

std::string vocabulary_text(const std::vector<std::string>& tokens) {
  std::string text;
  for (const std::string& token : tokens) {
    text += escape_token(token);
    text += '\n';
  }
  return text;
}

}  // namespace detail

void write_vocabulary(const std::string& path, const std::vector<std::string>& tokens) {
  detail::AtomicOutput output(path, "write_vocabulary");
  const std::string text = detail::vocabulary_text(tokens);
  output.write(text.data(), text.size());
  output.commit();
}

std::vector<std::string> read_vocabulary(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  check(in.good(), "read_vocabulary", "cannot open ", path);
  std::vector<std::string> tokens;
  std::string line;
  while (std::getline(in, line)) {
    // A raw carriage return is always a CRLF line end: the token's own is written "\r".
    if (!line.empty() && line.back() == '\r') line.pop_back();
    tokens.push_back(unescape_token(line));
  }
  check(!in.bad(), "read_vocabulary", "cannot read ", path);
  return tokens;
}

}  // namespace cuseq
