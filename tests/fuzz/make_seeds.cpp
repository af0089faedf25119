// Writes the seed inputs of tests/fuzz/corpus/ from small real files:
//   fuzz_make_seeds CORPUS_DIR TEST_DATA_DIR
// Each seed is a fuzz target's input: one mode byte, then a file or payload
// (see the targets). Rerun after a file format changes, and commit the result.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cuseq/cuseq.h"
#include "forged_file.h"
#include "tiny_checkpoint.h"

namespace {

using namespace cuseq;
namespace fs = std::filesystem;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void seed(const fs::path& folder, const std::string& name, char mode, const std::string& bytes) {
  fs::create_directories(folder);
  std::ofstream(folder / name, std::ios::binary) << std::string(1, mode) << bytes;
}

// One of each layer kind, so the seeds reach every layer's config reader.
Sequential every_layer_model() {
  Sequential model;
  model.emplace<Embedding>(12, 4, 6);
  model.emplace<Conv1D>(3, 2, Conv1DOptions{1, "same"});
  model.emplace<MaxPooling1D>(2);
  model.emplace<LSTM>(3, RecurrentOptions{"tanh", "sigmoid", true, true});
  model.emplace<Bidirectional>(
      std::make_unique<GRU>(2, RecurrentOptions{"tanh", "sigmoid", true, true}));
  model.emplace<SimpleRNN>(2, RecurrentOptions{"tanh", "sigmoid", true, true});
  model.emplace<GlobalAveragePooling1D>();
  model.emplace<Dropout>(0.5);
  model.emplace<Dense>(2);
  model.emplace<ActivationLayer>("softmax");
  model.build({6}, DType::float32, Device::cpu());
  return model;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: fuzz_make_seeds CORPUS_DIR TEST_DATA_DIR\n";
    return 2;
  }
  const fs::path out = argv[1], data = argv[2];
  const fs::path scratch = fs::temp_directory_path() / "cuseq_fuzz_seeds";
  fs::create_directories(scratch);

  const Sequential model = every_layer_model();
  model.save((scratch / "m.cuseq").string());
  model.save_weights((scratch / "w.cuseq").string());
  const std::string model_file = read(scratch / "m.cuseq");
  const std::string weights_file = read(scratch / "w.cuseq");
  seed(out / "model_file", "model", 0, model_file);
  seed(out / "model_file", "model_payload", 1, testing::payload_of(model_file, 4));
  seed(out / "model_file", "weights_payload", 2, testing::payload_of(weights_file, 4));

  const std::string corpus_path = (scratch / "c.tok").string();
  {
    TokenFileWriter writer(corpus_path, 5, TokenUnit::utf8_char);
    for (std::uint32_t i = 0; i < 40; ++i) writer.append(i % 5);
    writer.finish();
  }
  seed(out / "token_file", "two_byte_ids", 0, read(corpus_path));
  {
    const std::string wide = (scratch / "wide.tok").string();
    TokenFileWriter writer(wide, 70000, TokenUnit::word);
    for (std::uint32_t i = 0; i < 12; ++i) writer.append(i * 5000);
    writer.finish();
    seed(out / "token_file", "four_byte_ids", 1, read(wide));
  }

  // The checkpoint target's model: two LSTM layers.
  testing::save_tiny_checkpoint(TokenFile::open(corpus_path), 2, (scratch / "lm.ckpt").string());
  const std::string checkpoint = read(scratch / "lm.ckpt");
  seed(out / "checkpoint", "checkpoint", 0, checkpoint);
  seed(out / "checkpoint", "checkpoint_payload", 1, testing::payload_of(checkpoint, 0));

  const fs::path text = data / "text";
  seed(out / "text_loaders", "csv", 0, "text,label\n\"a, quoted\"\"text\",1\nplain,0\n");
  seed(out / "text_loaders", "tricky_csv", 0, read(text / "tricky_quoting.csv"));
  seed(out / "text_loaders", "tsv", 1, "split\ttext\tlabel\ntrain\tgood\tpos\ntest\tbad\tneg\n");
  seed(out / "text_loaders", "vocabulary", 2, "<unk>\nthe\n\\n\n\\t\\\\\n\\x01\n");
  seed(out / "text_loaders", "glove", 3, read(text / "glove_tiny.txt"));
  seed(out / "text_loaders", "word2vec", 3, read(text / "word2vec_tiny.vec"));

  const std::string prose = "It is a truth universally acknowledged,\nthat a single man ";
  seed(out / "corpus_tokenizer", "bytes", 0, prose);
  seed(out / "corpus_tokenizer", "utf8", 1,
       "na\xc3\xafve caf\xc3\xa9 \xe2\x82\xac\xf0\x9f\x98\x80 \xff");
  seed(out / "corpus_tokenizer", "words", 2, prose + "<unk> word word\r\n");
  seed(out / "corpus_tokenizer", "words_cut", static_cast<char>(2 | 4 | (3 << 4)), prose);
  fs::remove_all(scratch);
  return 0;
}
