// Text classification, the training program: the fine-food reviews
// (data/small_fine_foods.csv) tokenized, Embedding -> Bidirectional(GRU) ->
// Dense(sigmoid) trained with early stopping on a random validation fifth,
// scored on the test split against the majority class, then saved with its
// tokenizer for text_classifier_predict, and as a .keras file for Keras.
#include <filesystem>
#include <iostream>

#include "cuseq/cuseq.h"
#include "example_args.h"

int main(int argc, char** argv) try {
  using namespace cuseq;
  const examples::Args args(argc, argv,
                            "usage: text_classifier_train [--epochs 10] [--samples N (training "
                            "reviews; 0 = all)] [--out out/text_classifier] [--device cpu|cuda]");
  const std::string out = args.text("out", "out/text_classifier");
  const std::string device = args.text("device", "");
  std::filesystem::create_directories(out);

  CsvTextOptions csv;
  csv.text_column = "review", csv.label_column = "score", csv.filter_column = "split";
  csv.label_map = {{"great", 1}, {"other", 0}};
  csv.filter_values = {"train"};
  const TextDataset train = load_text_csv("data/small_fine_foods.csv", csv);
  csv.filter_values = {"test"};
  const TextDataset test = load_text_csv("data/small_fine_foods.csv", csv);

  constexpr int kWords = 10000;
  constexpr std::int64_t kMaxlen = 100;
  Tokenizer tokenizer(kWords, kDefaultTextFilters, true, " ", false, "<unk>");
  tokenizer.fit_on_texts(train.texts);
  const auto ids = [&](const TextDataset& data) {
    return pad_sequences(tokenizer.texts_to_sequences(data.texts), kMaxlen);
  };
  const auto labels = [](const TextDataset& data) {
    return Tensor::from_vector<float>({data.labels.begin(), data.labels.end()},
                                      {static_cast<std::int64_t>(data.labels.size()), 1});
  };
  Tensor x = ids(train), y = labels(train);
  keep_random_rows(x, y, args.integer("samples", 0));
  const TrainTestSplit rows = train_test_split(x, y, 0.2, /*seed=*/1);

  Sequential model("review_classifier");
  model.emplace<Embedding>(kWords, 32, kMaxlen);
  model.emplace<Bidirectional>(std::make_unique<GRU>(32));
  model.emplace<Dense>(1, "sigmoid");
  model.build({kMaxlen}, DType::float32, device.empty() ? default_device() : Device::parse(device));
  model.compile("adam", "binary_crossentropy", {"accuracy", "auc"});
  model.summary(std::cout);

  EarlyStoppingOptions stop;
  stop.monitor = "val_loss", stop.patience = 2, stop.restore_best_weights = true, stop.verbose = 1;
  FitOptions options;
  options.epochs = static_cast<int>(args.integer("epochs", 10));
  options.validation_data = {rows.x_test, rows.y_test};
  options.callbacks = {std::make_shared<EarlyStopping>(stop)};
  model.fit(rows.x_train, rows.y_train, options).plot_svg(out + "/curves.svg");

  const EpochLogs scores = model.evaluate(ids(test), labels(test));
  std::cout << "test accuracy " << log_value(scores, "accuracy") << ", AUC "
            << log_value(scores, "auc") << " (majority class " << majority_class(test.labels).share
            << ")\n";
  model.save(out + "/model.cuseq");
  save_tokenizer(tokenizer, out + "/tokenizer.json");
  if (keras_files_supported()) save_keras(model, out + "/model.keras");  // Keras opens it
  std::cout << "saved the model and its tokenizer in " << out << "\n";
  return 0;
} catch (const cuseq::Error& error) {
  std::cerr << "error: " << error.what() << "\n";
  return 1;
}
