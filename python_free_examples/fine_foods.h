// The fine-food reviews (data/small_fine_foods.csv) as padded id sequences:
// what every sentiment example starts from.
#pragma once

#include <cstdint>
#include <string>

#include "cuseq/cuseq.h"
#include "example_args.h"

namespace cuseq::examples {

struct ReviewSplits {
  Tokenizer tokenizer;
  Tensor train_x, train_y;  // int32 [rows, maxlen], float32 [rows, 1]
  Tensor test_x, test_y;
};

// Fits a tokenizer of the `num_words` most frequent words on the training
// reviews only, then pads (Keras' defaults: pre) every review to `maxlen` ids.
// score "great" is the positive class.
ReviewSplits load_fine_food_reviews(const std::string& csv_path, int num_words,
                                    std::int64_t maxlen);

// The same, as the example programs take it: --data (default
// data/small_fine_foods.csv), --maxlen (default `maxlen`) and --samples N,
// which keeps a fixed random N of the training reviews (0 = all). Prints the
// split sizes.
ReviewSplits load_fine_food_reviews(const Args& args, int num_words, std::int64_t maxlen);

}  // namespace cuseq::examples
