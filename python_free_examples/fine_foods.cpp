#include "fine_foods.h"

#include <iostream>
#include <vector>

#include "example_training.h"

namespace cuseq::examples {
namespace {

TextDataset load_split(const std::string& csv_path, const std::string& split) {
  CsvTextOptions options;
  options.text_column = "review";
  options.label_column = "score";
  options.positive_label = "great";
  options.filter_column = "split";
  options.filter_values = {split};
  return load_text_csv(csv_path, options);
}

Tensor labels_column(const TextDataset& data) {
  const std::vector<float> labels(data.labels.begin(), data.labels.end());
  return Tensor::from_vector<float>(labels, {static_cast<std::int64_t>(labels.size()), 1});
}

}  // namespace

ReviewSplits load_fine_food_reviews(const std::string& csv_path, int num_words,
                                    std::int64_t maxlen) {
  const TextDataset train = load_split(csv_path, "train");
  const TextDataset test = load_split(csv_path, "test");
  ReviewSplits splits{Tokenizer(num_words), {}, {}, {}, {}};
  splits.tokenizer.fit_on_texts(train.texts);
  splits.train_x = pad_sequences(splits.tokenizer.texts_to_sequences(train.texts), maxlen);
  splits.test_x = pad_sequences(splits.tokenizer.texts_to_sequences(test.texts), maxlen);
  splits.train_y = labels_column(train);
  splits.test_y = labels_column(test);
  return splits;
}

ReviewSplits load_fine_food_reviews(const Args& args, int num_words, std::int64_t maxlen) {
  ReviewSplits splits = load_fine_food_reviews(args.text("data", "data/small_fine_foods.csv"),
                                               num_words, args.integer("maxlen", maxlen));
  keep_random_rows(splits.train_x, splits.train_y, args.integer("samples", 0));
  std::cout << splits.train_x.dim(0) << " training and " << splits.test_x.dim(0)
            << " test reviews\n";
  return splits;
}

}  // namespace cuseq::examples
