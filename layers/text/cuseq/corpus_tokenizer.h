// Corpus -> token file: the library side of the cuseq-tokenize tool. Two
// streaming passes over the text (count the tokens, then write their ids), so
// memory is constant in the corpus size apart from the table of distinct
// tokens (at word level: every distinct word, until the vocabulary is cut).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cuseq/export.h"
#include "cuseq/token_file.h"

namespace cuseq {

struct TokenizeOptions {
  // byte: one token per byte; utf8_char: one per UTF-8 character (a stray or
  // truncated byte sequence is its own token); word: runs of non-whitespace,
  // with every line break a token "\n" of its own.
  TokenUnit unit = TokenUnit::utf8_char;
  // Word level: keep the num_words most frequent words (0: all); the others
  // map to the OOV id 0, whose vocabulary entry is oov_token. A corpus word
  // equal to oov_token (PTB's "<unk>") also maps to it.
  std::uint64_t num_words = 0;
  std::string oov_token = "<unk>";
  bool lower = false;  // ASCII lower-casing, as the Keras Tokenizer's default does for words
};

struct TokenizeResult {
  std::uint64_t tokens = 0;
  std::uint64_t vocab_size = 0;
  std::uint64_t oov_tokens = 0;  // word level: occurrences mapped to the OOV id
  std::uint64_t bytes = 0;       // of text read per pass
};

// Called now and then with the pass (1: counting, 2: writing), bytes done in
// this pass, and the pass's total bytes (0 while unknown: standard input).
using TokenizeProgress =
    std::function<void(int pass, std::uint64_t bytes_done, std::uint64_t bytes_total)>;

// Expands the inputs: a folder becomes its regular files, recursively, sorted
// by path, skipping hidden (dot) entries; a file stays itself; "-" (standard
// input) is kept. Throws cuseq::Error for a path that does not exist.
CUSEQ_API std::vector<std::string> list_corpus_files(const std::vector<std::string>& inputs);

// Tokenizes `files` (in order, as one stream; "-" reads standard input, which
// is spooled to a temporary file beside token_path for the second pass) into
// the token file `token_path` and the vocabulary `vocab_path`, both written
// atomically. Vocabulary order: descending frequency, ties by first appearance
// (at word level after the OOV entry, id 0).
CUSEQ_API TokenizeResult tokenize_corpus(const std::vector<std::string>& files,
                                         const std::string& token_path,
                                         const std::string& vocab_path,
                                         const TokenizeOptions& options = {},
                                         const TokenizeProgress& progress = {});

}  // namespace cuseq
