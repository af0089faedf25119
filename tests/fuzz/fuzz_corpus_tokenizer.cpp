// Fuzzes the corpus tokenizer (cuseq-tokenize's library side) on arbitrary
// bytes, at byte, character and word level, and checks what it promises: the
// token file and vocabulary it writes read back, every id is in the
// vocabulary, and at byte and character level the tokens spell the corpus.
#include "cuseq/cuseq.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cuseq;
  if (size == 0) return 0;
  const std::string corpus(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string corpus_path = fuzz::scratch_path("corpus.txt");
  const std::string token_path = fuzz::scratch_path("corpus.tok");
  fuzz::write_file(corpus_path, corpus);
  TokenizeOptions options;
  options.unit = static_cast<TokenUnit>(data[0] % 3);
  options.lower = (data[0] & 4) != 0;
  if (options.unit == TokenUnit::word) options.num_words = data[0] >> 4;
  fuzz::refuse_cleanly([&] {
    tokenize_corpus({corpus_path}, token_path, token_path + ".vocab", options);
    const TokenFile file = TokenFile::open(token_path);
    const std::vector<std::string> vocabulary = read_vocabulary(token_path + ".vocab");
    if (vocabulary.size() != file.vocab_size())
      fuzz::broken_promise("a vocabulary file of another size than the token file says");
    std::string spelled;
    for (std::uint64_t i = 0; i < file.count(); ++i) spelled += vocabulary.at(file[i]);
    if (options.unit != TokenUnit::word && !options.lower && spelled != corpus)
      fuzz::broken_promise("the tokens do not spell the corpus");
  });
  return 0;
}
