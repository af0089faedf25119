// The Keras imdb_lstm example on the real fine-food reviews
// (data/small_fine_foods.csv): Embedding -> LSTM(32) -> Dense(1, sigmoid),
// rmsprop, binary cross-entropy; and the same with a GRU and with
// Bidirectional(LSTM(32)) (concatenated directions). Prints test accuracy
// against the majority class (65.8%) and writes the training curves to --out.
#include <iostream>
#include <memory>

#include "cuseq/cuseq.h"
#include "example_args.h"
#include "example_training.h"
#include "fine_foods.h"

namespace {

using namespace cuseq;

constexpr int kNumWords = 10000;
constexpr double kMajorityAccuracy = 0.658;

// Embedding(10000, 32) -> `recurrent` -> Dense(1, sigmoid).
double run(const std::string& tag, std::unique_ptr<Layer> recurrent,
           const examples::ReviewSplits& data, const examples::RunSettings& s) {
  const std::int64_t maxlen = data.train_x.dim(1);
  Sequential model(tag);
  model.emplace<Embedding>(kNumWords, 32, maxlen);
  model.add(std::move(recurrent));
  model.emplace<Dense>(1, "sigmoid");
  model.build({maxlen}, DType::float32, s.device);
  model.compile("rmsprop", "binary_crossentropy", {"accuracy"});
  return examples::fit_and_report_accuracy(model, data.train_x, data.train_y, data.test_x,
                                           data.test_y, s, tag, kMajorityAccuracy);
}

}  // namespace

int main(int argc, char** argv) try {
  const examples::Args args(
      argc, argv,
      "usage: imdb_lstm [--variant lstm|gru|bidirectional|all] [--data data/small_fine_foods.csv]\n"
      "  [--maxlen 100] [--samples N (training reviews; 0 = all)] [--epochs 5]\n"
      "  [--batch-size 32] [--out out/imdb_lstm] [--device cpu|cuda]");
  const std::string variant = args.text("variant", "lstm");
  const examples::RunSettings settings = examples::run_settings(args, 5, "out/imdb_lstm");
  std::cout << "cuseq " << version() << " on " << settings.device.str() << "\n";
  const examples::ReviewSplits data = examples::load_fine_food_reviews(args, kNumWords, 100);

  bool ran = false;
  auto wanted = [&](const std::string& name) {
    const bool yes = variant == name || variant == "all";
    ran = ran || yes;
    return yes;
  };
  if (wanted("lstm")) run("lstm", std::make_unique<LSTM>(32), data, settings);
  if (wanted("gru")) run("gru", std::make_unique<GRU>(32), data, settings);
  if (wanted("bidirectional")) {
    run("bidirectional_lstm", std::make_unique<Bidirectional>(std::make_unique<LSTM>(32)), data,
        settings);
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
