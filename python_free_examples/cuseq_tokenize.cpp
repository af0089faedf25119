// cuseq-tokenize: text files -> a binary token file and its vocabulary, for
// training language models on corpora larger than memory (see README).
//
//   cuseq-tokenize -o corpus.tok [--level char|byte|word] [--num-words N]
//                  [--lower] [--oov TOKEN] [--vocab PATH] [--files-from LIST] INPUT...
// INPUT: files, folders (all files below them, sorted) or "-" for standard input.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "cli_checks.h"
#include "cuseq/corpus_tokenizer.h"
#include "cuseq/error.h"

namespace {

struct Arguments {
  std::string output;
  std::string vocab;
  std::string files_from;
  std::vector<std::string> inputs;
  cuseq::TokenizeOptions options;
};

std::string format_bytes(double bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int unit = 0;
  while (bytes >= 1000 && unit < 4) {
    bytes /= 1000;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", bytes, units[unit]);
  return text;
}

std::string format_seconds(double seconds) {
  const long total = static_cast<long>(seconds + 0.5);
  char text[32];
  std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
  return text;
}

// A progress bar redrawn in place on a terminal (about 10 times a second);
// elsewhere (logs, CI) one line per quarter of each pass.
class ProgressBar {
 public:
  ProgressBar() : terminal_(::isatty(STDERR_FILENO) != 0) {}

  void operator()(int pass, std::uint64_t done, std::uint64_t total) {
    const auto now = Clock::now();
    if (pass != pass_) {
      finish_line();
      pass_ = pass;
      pass_start_ = now;
      last_draw_ = now - std::chrono::seconds(1);
      next_quarter_ = 1;
    }
    const double elapsed = std::chrono::duration<double>(now - pass_start_).count();
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
    if (terminal_) {
      if (now - last_draw_ < std::chrono::milliseconds(100) && done != total) return;
      last_draw_ = now;
      std::fprintf(stderr, "\r%s", line(done, total, rate, elapsed).c_str());
      drawn_ = true;
    } else if (total > 0 && done * 4 >= next_quarter_ * total) {
      while (done * 4 >= next_quarter_ * total) ++next_quarter_;
      std::fprintf(stderr, "%s\n", line(done, total, rate, elapsed).c_str());
    }
  }

  void finish_line() {
    if (drawn_) std::fprintf(stderr, "\n");
    drawn_ = false;
  }

 private:
  using Clock = std::chrono::steady_clock;

  std::string line(std::uint64_t done, std::uint64_t total, double rate, double elapsed) const {
    const char* what = pass_ == 1 ? "pass 1/2 counting" : "pass 2/2 writing ";
    std::string text = what;
    if (total > 0) {
      const double fraction = static_cast<double>(done) / static_cast<double>(total);
      const int width = 30;
      const int filled = static_cast<int>(fraction * width);
      text += " [" + std::string(filled, '#') + std::string(width - filled, ' ') + "] ";
      char percent[16];
      std::snprintf(percent, sizeof percent, "%3.0f%% ", 100 * fraction);
      text += percent;
      text += format_bytes(static_cast<double>(done)) + " / " +
              format_bytes(static_cast<double>(total));
      text += "  " + format_bytes(rate) + "/s";
      const double left = rate > 0 ? static_cast<double>(total - done) / rate : 0;
      text += "  ETA " + format_seconds(left) + "   ";
    } else {
      text += " " + format_bytes(static_cast<double>(done)) + "  " + format_bytes(rate) + "/s  " +
              format_seconds(elapsed) + "   ";
    }
    return text;
  }

  bool terminal_;
  bool drawn_ = false;
  int pass_ = 0;
  Clock::time_point pass_start_;
  Clock::time_point last_draw_;
  std::uint64_t next_quarter_ = 1;
};

void add_options(CLI::App& app, Arguments& args) {
  app.add_option("-o,--output", args.output, "the token file to write")
      ->required()
      ->check(cuseq::examples::writable_file());
  app.add_option("--vocab", args.vocab, "vocabulary file (default OUTPUT.vocab)")
      ->check(cuseq::examples::writable_file());
  const std::map<std::string, cuseq::TokenUnit> levels = {{"char", cuseq::TokenUnit::utf8_char},
                                                          {"byte", cuseq::TokenUnit::byte},
                                                          {"word", cuseq::TokenUnit::word}};
  app.add_option("--level", args.options.unit,
                 "char (UTF-8 characters, default), byte, or word (whitespace-separated, each "
                 "line break a token)")
      ->transform(CLI::CheckedTransformer(levels, CLI::ignore_case));
  app.add_option("--num-words", args.options.num_words,
                 "word level: keep the N most frequent words, the rest map to --oov (0: all)")
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{1} << 31));
  app.add_option("--oov", args.options.oov_token, "the out-of-vocabulary token");
  app.add_flag("--lower", args.options.lower, "ASCII lower-casing");
  app.add_option("--files-from", args.files_from, "read more inputs from LIST, one path per line")
      ->check(CLI::ExistingFile);
  app.add_option("inputs", args.inputs,
                 "text files, folders (every file below, sorted) or - for standard input");
}

// Inputs from --files-from join those of the command line; at least one is needed.
void add_listed_inputs(Arguments& args) {
  if (!args.files_from.empty()) {
    std::ifstream in(args.files_from);
    cuseq::check(in.good(), "cuseq-tokenize", "cannot open ", args.files_from);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) args.inputs.push_back(line);
    }
  }
  cuseq::check(!args.inputs.empty(), "cuseq-tokenize", "at least one input is needed");
  if (args.vocab.empty()) args.vocab = args.output + ".vocab";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Tokenizes text into a binary token file and its vocabulary, for training language\n"
      "models on corpora larger than memory.",
      "cuseq-tokenize"};
  Arguments args;
  add_options(app, args);
  const int status = cuseq::examples::parse_command_line(app, argc, argv);
  if (status >= 0) return status;
  try {
    add_listed_inputs(args);
    const std::vector<std::string> files = cuseq::list_corpus_files(args.inputs);
    ProgressBar bar;
    const cuseq::TokenizeResult result = cuseq::tokenize_corpus(
        files, args.output, args.vocab, args.options,
        [&](int pass, std::uint64_t done, std::uint64_t total) { bar(pass, done, total); });
    bar.finish_line();
    std::fprintf(stderr, "%s: %llu %s tokens from %zu file(s), %s; vocabulary of %llu in %s",
                 args.output.c_str(), static_cast<unsigned long long>(result.tokens),
                 cuseq::token_unit_name(args.options.unit).c_str(), files.size(),
                 format_bytes(static_cast<double>(result.bytes)).c_str(),
                 static_cast<unsigned long long>(result.vocab_size), args.vocab.c_str());
    if (args.options.unit == cuseq::TokenUnit::word) {
      std::fprintf(stderr, " (%llu out-of-vocabulary tokens)",
                   static_cast<unsigned long long>(result.oov_tokens));
    }
    std::fprintf(stderr, "\n");
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "\n%s\n", error.what());
    return 1;
  }
}
