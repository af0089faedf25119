// Fuzzes the text loaders: CSV/TSV parsing (read_csv, load_text_csv), the
// vocabulary reader and the GloVe / word2vec vector reader. Input: one byte
// choosing the loader, then the file.
#include <unordered_map>

#include "cuseq/cuseq.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cuseq;
  if (size == 0) return 0;
  const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0: {  // CSV with a text and a label column
      const std::string path = fuzz::scratch_path("input.csv");
      fuzz::write_file(path, bytes);
      fuzz::refuse_cleanly([&] {
        const CsvTable table = read_csv(path);
        for (const auto& row : table.rows) {
          if (row.size() != table.header.size()) fuzz::broken_promise("a CSV row of another width");
        }
      });
      fuzz::refuse_cleanly([&] {
        const TextDataset dataset = load_text_csv(path);
        if (dataset.texts.size() != dataset.labels.size())
          fuzz::broken_promise("texts and labels of different counts");
      });
      break;
    }
    case 1: {  // TSV, labels by a map
      const std::string path = fuzz::scratch_path("input.tsv");
      fuzz::write_file(path, bytes);
      CsvTextOptions options;
      options.label_map = {{"pos", 1}, {"neg", 0}};
      options.filter_column = "split";
      options.filter_values = {"train"};
      fuzz::refuse_cleanly([&] { load_text_csv(path, options); });
      break;
    }
    case 2: {  // a vocabulary file
      const std::string path = fuzz::scratch_path("input.vocab");
      fuzz::write_file(path, bytes);
      fuzz::refuse_cleanly([&] {
        for (const std::string& token : read_vocabulary(path)) {
          if (unescape_token(escape_token(token)) != token)
            fuzz::broken_promise("a vocabulary token that does not survive escaping");
        }
      });
      break;
    }
    default: {  // word vectors for a small word index
      const std::string path = fuzz::scratch_path("input.vec");
      fuzz::write_file(path, bytes);
      const std::unordered_map<std::string, std::int32_t> index = {
          {"the", 1}, {"cat", 2}, {"sat", 3}, {"a", 4}, {"1", 5}};
      fuzz::refuse_cleanly([&] {
        const EmbeddingMatrix matrix = load_embedding_matrix(path, index);
        if (matrix.weights.dim(0) != 6 || matrix.weights.dim(1) != matrix.dim)
          fuzz::broken_promise("an embedding matrix of the wrong shape " + matrix.weights.str());
      });
      break;
    }
  }
  return 0;
}
