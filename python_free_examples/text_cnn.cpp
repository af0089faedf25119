// 1D convnets for text, the Keras way (Deep Learning with Python, 6.4):
//   convnet  Embedding -> Conv1D(32, 7, relu) -> MaxPooling1D(5) -> Conv1D(32, 7, relu)
//            -> GlobalMaxPooling1D -> Dense(1, sigmoid) on the fine-food reviews
//   glosses  a 45-class document classifier: WordNet glosses labelled with their
//            lexicographer file (noun.animal, verb.motion, ...), Embedding -> Conv1D
//            -> GlobalMaxPooling1D -> Dense(45, softmax), sparse categorical cross-entropy
//   cnn_gru  for long sequences: Conv1D + MaxPooling1D shorten the review 5-fold
//            before a GRU reads it
// Each prints its test accuracy next to the majority class' and writes its
// training curves (CSV and SVG) to --out.
#include <iostream>

#include "cuseq/cuseq.h"
#include "example_args.h"
#include "example_training.h"
#include "fine_foods.h"
#include "wordnet_glosses.h"

namespace {

using namespace cuseq;
using examples::RunSettings;

constexpr int kNumWords = 10000;
constexpr double kReviewMajority = 0.658;

double run_convnet(const examples::ReviewSplits& data, const RunSettings& s,
                   std::int64_t embedding_dim) {
  const std::int64_t maxlen = data.train_x.dim(1);
  Sequential model("text_convnet");
  model.emplace<Embedding>(kNumWords, embedding_dim, maxlen);
  model.emplace<Conv1D>(32, 7, "relu");
  model.emplace<MaxPooling1D>(5);
  model.emplace<Conv1D>(32, 7, "relu");
  model.emplace<GlobalMaxPooling1D>();
  model.emplace<Dense>(1, "sigmoid");
  model.build({maxlen}, DType::float32, s.device);
  model.compile("rmsprop", "binary_crossentropy", {"accuracy"});
  return examples::fit_and_report_accuracy(model, data.train_x, data.train_y, data.test_x,
                                           data.test_y, s, "convnet", kReviewMajority);
}

double run_cnn_gru(const examples::ReviewSplits& data, const RunSettings& s,
                   std::int64_t embedding_dim) {
  const std::int64_t maxlen = data.train_x.dim(1);
  Sequential model("cnn_gru");
  model.emplace<Embedding>(kNumWords, embedding_dim, maxlen);
  model.emplace<Conv1D>(32, 5, "relu");
  model.emplace<MaxPooling1D>(5);
  model.emplace<Conv1D>(32, 5, "relu");
  RecurrentOptions gru;
  gru.dropout = 0.1;
  gru.recurrent_dropout = 0.2;
  model.emplace<GRU>(32, gru);
  model.emplace<Dense>(1, "sigmoid");
  model.build({maxlen}, DType::float32, s.device);
  model.compile("rmsprop", "binary_crossentropy", {"accuracy"});
  return examples::fit_and_report_accuracy(model, data.train_x, data.train_y, data.test_x,
                                           data.test_y, s, "cnn_gru", kReviewMajority);
}

// 80% of a fixed shuffle of the (subsampled) glosses train, the rest test;
// the tokenizer sees the training glosses only.
double run_glosses(const examples::Args& args, const RunSettings& s) {
  const std::string directory = args.text("wordnet", "/usr/share/wordnet");
  const TextDataset all = examples::load_wordnet_glosses(examples::wordnet_data_files(directory));
  std::vector<std::int64_t> order =
      shuffled_indices(static_cast<std::int64_t>(all.texts.size()), 11);
  const std::int64_t samples = args.integer("glosses", 12000);
  if (samples > 0 && samples < static_cast<std::int64_t>(order.size())) order.resize(samples);
  const std::size_t train_rows = order.size() * 4 / 5;
  const std::vector<std::int64_t> train_order(order.begin(), order.begin() + train_rows);
  const std::vector<std::int64_t> test_order(order.begin() + train_rows, order.end());
  const std::int64_t maxlen = args.integer("gloss-maxlen", 30);

  Tokenizer tokenizer(kNumWords);
  const std::vector<std::string> train_texts = take(all.texts, train_order);
  tokenizer.fit_on_texts(train_texts);
  auto ids = [&](const std::vector<std::int64_t>& rows) {
    return pad_sequences(tokenizer.texts_to_sequences(take(all.texts, rows)), maxlen);
  };
  auto labels = [&](const std::vector<std::int64_t>& rows) {
    const std::vector<std::int32_t> taken = take(all.labels, rows);
    return Tensor::from_vector<std::int32_t>(taken, {static_cast<std::int64_t>(taken.size()), 1});
  };
  const Tensor train_x = ids(train_order), test_x = ids(test_order);
  const Tensor train_y = labels(train_order), test_y = labels(test_order);
  const std::int64_t classes = static_cast<std::int64_t>(examples::wordnet_lexnames().size());
  const MajorityClass majority = majority_class(test_y);
  std::cout << all.texts.size() << " WordNet glosses in " << directory << "; using "
            << train_x.dim(0) << " to train and " << test_x.dim(0) << " to test (--glosses), "
            << classes << " classes; the majority class on test is "
            << examples::wordnet_lexnames()[majority.label] << "\n";

  Sequential model("gloss_classifier");
  model.emplace<Embedding>(kNumWords, args.integer("embedding-dim", 32), maxlen);
  Conv1DOptions same;
  same.padding = "same", same.activation = "relu";
  model.emplace<Conv1D>(64, 5, same);
  model.emplace<GlobalMaxPooling1D>();
  model.emplace<Dropout>(0.3);
  model.emplace<Dense>(classes, "softmax");
  model.build({maxlen}, DType::float32, s.device);
  model.compile("rmsprop", "sparse_categorical_crossentropy", {"accuracy"});
  return examples::fit_and_report_accuracy(model, train_x, train_y, test_x, test_y, s, "glosses",
                                           majority.share);
}

}  // namespace

int main(int argc, char** argv) try {
  const examples::Args args(
      argc, argv,
      "usage: text_cnn [--variant convnet|glosses|cnn_gru|all] [--data data/small_fine_foods.csv]\n"
      "  [--maxlen 150] [--embedding-dim 32] [--samples N (training reviews; 0 = all)]\n"
      "  [--wordnet /usr/share/wordnet] [--glosses 12000 (0 = all 117,659)] [--gloss-maxlen 30]\n"
      "  [--epochs 4] [--batch-size 32] [--out out/text_cnn] [--device cpu|cuda]");
  const std::string variant = args.text("variant", "convnet");
  const RunSettings settings = examples::run_settings(args, 4, "out/text_cnn");
  std::cout << "cuseq " << version() << " on " << settings.device.str() << "\n";
  const std::int64_t embedding_dim = args.integer("embedding-dim", 32);
  bool ran = false;
  if (variant == "convnet" || variant == "cnn_gru" || variant == "all") {
    const examples::ReviewSplits data = examples::load_fine_food_reviews(args, kNumWords, 150);
    if (variant != "cnn_gru") run_convnet(data, settings, embedding_dim);
    if (variant != "convnet") run_cnn_gru(data, settings, embedding_dim);
    ran = true;
  }
  if (variant == "glosses" || variant == "all") {
    run_glosses(args, settings);
    ran = true;
  }
  if (!ran) {
    std::cerr << "unknown --variant " << variant << "\n";
    return 2;
  }
  return 0;
} catch (const cuseq::Error& error) {
  std::cerr << "error: " << error.what() << "\n";
  return 1;
}
