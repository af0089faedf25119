#include "cuseq/corpus_tokenizer.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <type_traits>
#include <unordered_map>

#include "cuseq/error.h"
#include "layers/data/vocabulary_text.h"
#include "layers/io/atomic_output.h"
#include "layers/text/token_splitters.h"

namespace cuseq {
namespace {

constexpr const char* kWhere = "tokenize_corpus";
constexpr std::size_t kChunkBytes = std::size_t{1} << 20;
constexpr std::size_t kIdBufferSize = std::size_t{1} << 16;

struct FileCloser {
  void operator()(std::FILE* file) const {
    if (file != nullptr && file != stdin) std::fclose(file);
  }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

FilePtr open_for(const std::string& path, const char* mode) {
  FilePtr file(std::fopen(path.c_str(), mode));
  check(file != nullptr, kWhere, "cannot open ", path, ": ", std::strerror(errno));
  return file;
}

// Standard input cannot be read twice: pass 1 copies it here for pass 2.
class StdinSpool {
 public:
  explicit StdinSpool(const std::string& beside)
      : path_(beside + ".stdin." + std::to_string(::getpid())) {}
  ~StdinSpool() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// What the first pass learns about a token, and the id the second pass writes.
struct TokenStats {
  std::uint64_t count = 0;
  std::uint64_t first = 0;  // position of the first occurrence
  std::uint32_t id = 0;
};

// Character keys: a flat table for single bytes (nearly all of most text),
// a hash map for multi-byte characters.
class CharacterTable {
 public:
  TokenStats& operator[](std::uint32_t key) { return key < 256 ? bytes_[key] : others_[key]; }
  template <class Visit>
  void for_each(Visit visit) {
    for (std::uint32_t key = 0; key < 256; ++key) {
      if (bytes_[key].count > 0) visit(detail::unpack_character(key), bytes_[key]);
    }
    for (auto& [key, stats] : others_) visit(detail::unpack_character(key), stats);
  }

 private:
  std::array<TokenStats, 256> bytes_{};
  std::unordered_map<std::uint32_t, TokenStats> others_;
};

class WordTable {
 public:
  // Unknown words get a default entry: id 0, the OOV id.
  TokenStats& operator[](const std::string& word) { return words_[word]; }
  void erase(const std::string& word) { words_.erase(word); }
  template <class Visit>
  void for_each(Visit visit) {
    for (auto& [word, stats] : words_) visit(word, stats);
  }

 private:
  std::unordered_map<std::string, TokenStats> words_;
};

// Reads the files in order, chunk by chunk, into `feed(bytes, count)` and
// calls `end_of_file()` after each; reports progress per chunk.
class CorpusReader {
 public:
  CorpusReader(const std::vector<std::string>& files, const StdinSpool* spool, int pass,
               const TokenizeProgress& progress)
      : files_(files), spool_(spool), pass_(pass), progress_(progress) {
    for (const std::string& file : files_) {
      if (file == "-" && pass_ == 1) {
        total_ = 0;  // unknown until standard input ends
        break;
      }
      const std::string& path = file == "-" ? spool_->path() : file;
      std::error_code error;
      total_ += std::filesystem::file_size(path, error);
      check(!error, kWhere, "cannot read the size of ", path, ": ", error.message());
    }
  }

  // Each file's checksum, for the second pass to compare with the first's.
  const std::vector<std::uint64_t>& checksums() const { return checksums_; }
  // The file being read, for errors.
  const std::string& current_file() const { return *current_; }

  template <class Feed, class EndOfFile>
  std::uint64_t run(Feed&& feed, EndOfFile&& end_of_file) {
    std::vector<unsigned char> chunk(kChunkBytes);
    std::uint64_t done = 0;
    for (const std::string& file : files_) {
      current_ = &file;
      TokenChecksum checksum;
      const bool from_stdin = file == "-";
      FilePtr in = from_stdin && pass_ == 1 ? FilePtr(stdin)
                                            : open_for(from_stdin ? spool_->path() : file, "rb");
      FilePtr copy = from_stdin && pass_ == 1 ? open_for(spool_->path(), "wb") : nullptr;
      std::size_t got;
      while ((got = std::fread(chunk.data(), 1, chunk.size(), in.get())) > 0) {
        if (copy) {
          check(std::fwrite(chunk.data(), 1, got, copy.get()) == got, kWhere,
                "cannot spool standard input to ", spool_->path());
        }
        checksum.update(chunk.data(), got);
        feed(chunk.data(), got);
        done += got;
        if (progress_) progress_(pass_, done, total_);
      }
      check(!std::ferror(in.get()), kWhere, "cannot read ", from_stdin ? "standard input" : file,
            ": ", std::strerror(errno));
      if (copy) check(std::fflush(copy.get()) == 0, kWhere, "cannot spool standard input");
      end_of_file();
      checksums_.push_back(checksum.value());
    }
    return done;
  }

 private:
  const std::vector<std::string>& files_;
  const StdinSpool* spool_;
  int pass_;
  const TokenizeProgress& progress_;
  std::uint64_t total_ = 0;
  const std::string* current_ = nullptr;
  std::vector<std::uint64_t> checksums_;
};

[[noreturn]] void corpus_changed(const std::string& file, const std::string& how) {
  fail(kWhere, "the corpus changed while it was tokenized: ", file == "-" ? "standard input" : file,
       " ", how, " between the counting and the writing pass; nothing was written");
}

// Sorts the distinct tokens into the vocabulary: descending count, ties by
// first appearance; assigns ids from `first_id`, keeping at most `limit`
// (0: all). Tokens cut off keep id `cut_id`.
template <class Table>
std::vector<std::string> assign_ids(Table& table, std::uint32_t first_id, std::uint64_t limit,
                                    std::uint32_t cut_id) {
  std::vector<std::pair<const std::string*, TokenStats*>> order;
  std::vector<std::string> owned_keys;  // characters are unpacked into strings here
  table.for_each([&](const std::string& token, TokenStats& stats) {
    owned_keys.push_back(token);
    order.emplace_back(nullptr, &stats);
  });
  for (std::size_t i = 0; i < order.size(); ++i) order[i].first = &owned_keys[i];
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    if (a.second->count != b.second->count) return a.second->count > b.second->count;
    return a.second->first < b.second->first;
  });
  const std::size_t kept = limit == 0 ? order.size() : std::min<std::size_t>(order.size(), limit);
  std::vector<std::string> vocabulary;
  vocabulary.reserve(kept);
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i].second->id = i < kept ? first_id + static_cast<std::uint32_t>(i) : cut_id;
    if (i < kept) vocabulary.push_back(*order[i].first);
  }
  return vocabulary;
}

// Buffers ids on their way into the token file.
class IdSink {
 public:
  explicit IdSink(TokenFileWriter& writer) : writer_(writer) { ids_.reserve(kIdBufferSize); }
  void operator()(std::uint32_t id) {
    ids_.push_back(id);
    if (ids_.size() == kIdBufferSize) flush();
  }
  void flush() {
    writer_.append(ids_.data(), ids_.size());
    ids_.clear();
  }

 private:
  TokenFileWriter& writer_;
  std::vector<std::uint32_t> ids_;
};

template <class Splitter, class Table, class Lookup>
TokenizeResult run_passes(const std::vector<std::string>& files, const std::string& token_path,
                          const std::string& vocab_path, const TokenizeOptions& options,
                          const TokenizeProgress& progress, Splitter splitter, Table& table,
                          Lookup lookup) {
  const StdinSpool spool(token_path);
  // The vocabulary is written (and synced) before the token file is
  // published, so a vocabulary that cannot be written never leaves a new
  // token file beside an old vocabulary; an unwritable path fails here, first.
  detail::AtomicOutput vocabulary_file(vocab_path, kWhere);
  TokenizeResult result;
  std::uint64_t position = 0;
  auto count = [&](const auto& token) {
    TokenStats& stats = lookup(table, token);
    if (stats.count++ == 0) stats.first = position;
    ++position;
  };
  CorpusReader counting(files, &spool, 1, progress);
  result.bytes = counting.run(
      [&](const unsigned char* bytes, std::size_t n) { splitter.feed(bytes, n, count); },
      [&] { splitter.finish(count); });

  constexpr bool words = std::is_same_v<Table, WordTable>;
  std::vector<std::string> vocabulary;
  if constexpr (words) {
    vocabulary.push_back(options.oov_token);
    table.erase(options.oov_token);  // the corpus' own "<unk>" words: id 0, as in pass 2 below
    const auto kept = assign_ids(table, 1, options.num_words, 0);
    vocabulary.insert(vocabulary.end(), kept.begin(), kept.end());
  } else {
    vocabulary = assign_ids(table, 0, 0, 0);
  }
  if (vocabulary.empty())
    vocabulary.push_back(options.oov_token);  // an empty corpus still has a valid file

  TokenFileWriter writer(token_path, vocabulary.size(), options.unit);
  IdSink sink(writer);
  CorpusReader writing(files, &spool, 2, progress);
  auto write = [&](const auto& token) {
    std::uint32_t id = 0;
    bool oov_word = false;
    if constexpr (words) oov_word = token == options.oov_token;
    if (!oov_word) {
      const TokenStats& stats = lookup(table, token);
      // A token the counting pass never saw would silently become id 0.
      if (stats.count == 0) corpus_changed(writing.current_file(), "gained new tokens");
      id = stats.id;
    }
    if (words && id == 0) ++result.oov_tokens;
    sink(id);
  };
  writing.run([&](const unsigned char* bytes, std::size_t n) { splitter.feed(bytes, n, write); },
              [&] { splitter.finish(write); });
  sink.flush();
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (writing.checksums()[i] != counting.checksums()[i]) corpus_changed(files[i], "changed");
  }
  const std::string vocabulary_bytes = detail::vocabulary_text(vocabulary);
  vocabulary_file.write(vocabulary_bytes.data(), vocabulary_bytes.size());
  vocabulary_file.sync();
  writer.finish();
  vocabulary_file.commit();
  result.tokens = writer.count();
  result.vocab_size = vocabulary.size();
  return result;
}

// `cuseq-tokenize -o corpus.txt corpus.txt` would replace the corpus by its tokens.
void refuse_outputs_over_inputs(const std::vector<std::string>& files,
                                const std::string& token_path, const std::string& vocab_path) {
  namespace fs = std::filesystem;
  std::error_code error;
  check(token_path != vocab_path && !fs::equivalent(token_path, vocab_path, error), kWhere,
        "the token file and the vocabulary are both \"", token_path, "\"");
  for (const std::string& file : files) {
    if (file == "-") continue;
    for (const std::string* output : {&token_path, &vocab_path}) {
      check(file != *output && !fs::equivalent(file, *output, error), kWhere, "the output \"",
            *output, "\" is the input \"", file, "\": writing it would destroy the corpus");
    }
  }
}

}  // namespace

std::vector<std::string> list_corpus_files(const std::vector<std::string>& inputs) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const std::string& input : inputs) {
    if (input == "-") {
      files.push_back(input);
      continue;
    }
    std::error_code error;
    const fs::file_status status = fs::status(input, error);
    check(!error && fs::exists(status), "list_corpus_files", "no such file or folder: ", input);
    if (!fs::is_directory(status)) {
      files.push_back(input);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(input);
         it != fs::recursive_directory_iterator(); ++it) {
      if (it->path().filename().string().rfind('.', 0) == 0) {
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file()) found.push_back(it->path().string());
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

TokenizeResult tokenize_corpus(const std::vector<std::string>& files, const std::string& token_path,
                               const std::string& vocab_path, const TokenizeOptions& options,
                               const TokenizeProgress& progress) {
  check(std::count(files.begin(), files.end(), std::string("-")) <= 1, kWhere,
        "standard input (\"-\") can be read only once");
  check(options.unit == TokenUnit::word || options.num_words == 0, kWhere,
        "num_words applies to word-level tokens only");
  refuse_outputs_over_inputs(files, token_path, vocab_path);
  if (options.unit == TokenUnit::word) {
    WordTable table;
    return run_passes(files, token_path, vocab_path, options, progress,
                      detail::WordSplitterStream(options.lower), table,
                      [](WordTable& t, const std::string& word) -> TokenStats& { return t[word]; });
  }
  CharacterTable table;
  return run_passes(files, token_path, vocab_path, options, progress,
                    detail::CharacterSplitter(options.unit == TokenUnit::utf8_char, options.lower),
                    table,
                    [](CharacterTable& t, std::uint32_t key) -> TokenStats& { return t[key]; });
}

}  // namespace cuseq
