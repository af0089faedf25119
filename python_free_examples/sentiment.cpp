// Binary sentiment classification of 5,000 real Amazon fine-food reviews
// (data/small_fine_foods.csv), the Keras way:
//   embedding   Embedding -> Flatten -> Dense(sigmoid), rmsprop, binary cross-entropy
//   pretrained  the same on frozen word vectors trained by fastText on another
//               corpus (Jane Austen's novels), loaded through the GloVe reader
//   regularized a larger Dense head without and with L2 + Dropout: the
//               validation loss shows the overfitting that they reduce
// Prints test accuracy against the majority class (65.8%) and writes the
// training curves (CSV and SVG) to --out.
#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "cuseq/cuseq.h"
#include "example_args.h"
#include "fine_foods.h"

namespace {

using namespace cuseq;
using examples::ReviewSplits;

constexpr int kNumWords = 10000;
constexpr double kMajorityAccuracy = 0.658;

struct Settings {
  std::int64_t maxlen;
  int epochs;
  std::string out;
  Device device;
};

// Trains `model`, reports test accuracy, and saves its curves as <out>/<tag>.{csv,svg}.
double train_and_report(Sequential& model, const ReviewSplits& data, const Settings& settings,
                        const std::string& tag) {
  model.summary(std::cout);
  FitOptions options;
  options.epochs = settings.epochs;
  options.batch_size = 32;
  options.validation_split = 0.2;
  const History history = model.fit(data.train_x, data.train_y, options);
  history.to_csv(settings.out + "/" + tag + ".csv");
  history.plot_svg(settings.out + "/" + tag + ".svg");
  const EpochLogs test = model.evaluate(data.test_x, data.test_y);
  const double accuracy = log_value(test, "accuracy");
  std::cout << std::fixed << std::setprecision(3) << tag << ": test accuracy " << accuracy
            << " (majority class " << kMajorityAccuracy << "), test loss "
            << log_value(test, "loss") << "; curves in " << settings.out << "/" << tag
            << ".svg\n\n";
  const auto& val_loss = history["val_loss"];
  std::cout << tag << ": lowest validation loss "
            << *std::min_element(val_loss.begin(), val_loss.end()) << ", last " << val_loss.back()
            << "\n\n";
  return accuracy;
}

double run_embedding(const ReviewSplits& data, const Settings& s) {
  Sequential model("embedding_flatten_dense");
  model.emplace<Embedding>(kNumWords, 8, s.maxlen);
  model.emplace<Flatten>();
  model.emplace<Dense>(1, "sigmoid");
  model.build({s.maxlen}, DType::float32, s.device);
  model.compile("rmsprop", "binary_crossentropy", {"accuracy"});
  return train_and_report(model, data, s, "embedding");
}

double run_pretrained(const ReviewSplits& data, const Settings& s, const std::string& vectors) {
  const EmbeddingMatrix matrix = load_embedding_matrix(vectors, data.tokenizer);
  std::cout << "pretrained: " << matrix.words_found << " of " << kNumWords
            << " words have a vector in " << vectors << " (dim " << matrix.dim << ")\n";
  // Averaging the frozen vectors over the review (rather than flattening them)
  // keeps the head small: with 4,000 reviews a Flatten head overfits at once.
  Sequential model("pretrained_embeddings");
  Embedding& embedding = model.emplace<Embedding>(kNumWords, matrix.dim, s.maxlen);
  model.emplace<GlobalAveragePooling1D>();
  model.emplace<Dense>(16, "relu");
  model.emplace<Dense>(1, "sigmoid");
  model.build({s.maxlen}, DType::float32, s.device);
  embedding.set_weights({matrix.weights});
  embedding.trainable = false;
  model.compile("rmsprop", "binary_crossentropy", {"accuracy"});
  // Only the small head learns, slowly: give it twice the epochs.
  Settings longer = s;
  longer.epochs = 2 * s.epochs;
  return train_and_report(model, data, longer, "pretrained");
}

double run_regularized(const ReviewSplits& data, const Settings& s, bool regularize) {
  Sequential model(regularize ? "l2_and_dropout" : "unregularized");
  model.emplace<Embedding>(kNumWords, 16, s.maxlen);
  model.emplace<Flatten>();
  DenseOptions hidden;
  hidden.activation = "relu";
  if (regularize) hidden.kernel_regularizer = l2(0.001);
  model.emplace<Dense>(64, hidden);
  if (regularize) model.emplace<Dropout>(0.5);
  model.emplace<Dense>(1, "sigmoid");
  model.build({s.maxlen}, DType::float32, s.device);
  model.compile("rmsprop", "binary_crossentropy", {"accuracy"});
  return train_and_report(model, data, s, regularize ? "regularized" : "unregularized");
}

}  // namespace

int main(int argc, char** argv) try {
  const examples::Args args(
      argc, argv,
      "usage: sentiment [--data data/small_fine_foods.csv] [--variant embedding|pretrained|"
      "regularized|all] [--vectors austen.vec] [--maxlen 100] [--epochs 10] [--out out/sentiment] "
      "[--device cpu|cuda]");
  const std::string variant = args.text("variant", "embedding");
  Settings settings{
      args.integer("maxlen", 100), static_cast<int>(args.integer("epochs", 10)),
      args.text("out", "out/sentiment"),
      args.text("device", "") == "" ? default_device() : Device::parse(args.text("device", ""))};
  std::filesystem::create_directories(settings.out);
  std::cout << "cuseq " << version() << " on " << settings.device.str() << "\n";
  const ReviewSplits data = examples::load_fine_food_reviews(
      args.text("data", "data/small_fine_foods.csv"), kNumWords, settings.maxlen);
  std::cout << data.train_x.dim(0) << " training and " << data.test_x.dim(0) << " test reviews, "
            << data.tokenizer.word_index().size() << " distinct words\n";

  double accuracy = 0;
  if (variant == "embedding" || variant == "all") accuracy = run_embedding(data, settings);
  if (variant == "pretrained" || variant == "all") {
    accuracy = run_pretrained(data, settings, args.text("vectors", "out/austen.vec"));
  }
  if (variant == "regularized" || variant == "all") {
    run_regularized(data, settings, false);
    accuracy = run_regularized(data, settings, true);
  }
  if (accuracy == 0) {
    std::cerr << "unknown --variant " << variant << "\n";
    return 2;
  }
  return 0;
} catch (const cuseq::Error& error) {
  std::cerr << "error: " << error.what() << "\n";
  return 1;
}
