// Data that cannot be trained on, named in an error instead of training to
// garbage: labels that are not class ids, binary targets outside [0, 1],
// NaN or Inf in inputs or targets, empty data, sequences of no steps; and a
// history of non-finite losses still plots.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>

#include "token_test_support.h"

namespace cuseq {
namespace {

using testing::expect_error_mentions;
using testing::read_bytes;
using testing::temp_path;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

Sequential compiled_dense(std::int64_t units, const std::string& activation,
                          const std::string& loss) {
  Sequential model;
  model.emplace<Dense>(units, activation);
  model.build({2}, DType::float32, Device::cpu());
  model.compile("sgd", loss);
  return model;
}

FitOptions quiet() {
  FitOptions options;
  options.verbose = 0;
  return options;
}

const Tensor kX = Tensor::from_vector<float>({0, 1, 1, 0, 1, 1}, {3, 2});

TEST(BadTrainingData, FractionalSparseLabelIsAnError) {
  Sequential model = compiled_dense(3, "softmax", "sparse_categorical_crossentropy");
  const Tensor y = Tensor::from_vector<float>({0, 1.5f, 2}, {3});
  expect_error_mentions([&] { model.fit(kX, y, quiet()); }, {"1.5", "class id"});
}

TEST(BadTrainingData, BinaryTargetsOutsideZeroOneAreAnError) {
  Sequential model = compiled_dense(1, "sigmoid", "binary_crossentropy");
  const Tensor five = Tensor::from_vector<float>({0, 5, 1}, {3, 1});
  expect_error_mentions([&] { model.fit(kX, five, quiet()); },
                        {"binary_crossentropy", "5", "[0, 1]"});
  const Tensor negative = Tensor::from_vector<float>({0, 1, -3}, {3, 1});
  expect_error_mentions([&] { model.evaluate(kX, negative); }, {"-3", "[0, 1]"});
}

TEST(BadTrainingData, NonFiniteInputIsAnErrorNamingTheRow) {
  Sequential model = compiled_dense(1, "linear", "mse");
  const Tensor x = Tensor::from_vector<float>({0, 1, 1, kNaN, 1, 1}, {3, 2});
  const Tensor y = Tensor::from_vector<float>({0, 1, 2}, {3, 1});
  expect_error_mentions([&] { model.fit(x, y, quiet()); }, {"x", "nan", "row 1"});
}

TEST(BadTrainingData, NonFiniteTargetIsAnErrorNamingTheRow) {
  Sequential model = compiled_dense(1, "linear", "mse");
  const Tensor y = Tensor::from_vector<float>({0, 1, kInf}, {3, 1});
  expect_error_mentions([&] { model.fit(kX, y, quiet()); }, {"y", "inf", "row 2"});
}

TEST(BadTrainingData, EvaluateOnNoRowsIsAnError) {
  Sequential model = compiled_dense(1, "linear", "mse");
  const Tensor x = Tensor::zeros({0, 2});
  const Tensor y = Tensor::zeros({0, 1});
  expect_error_mentions([&] { model.evaluate(x, y); }, {"evaluate", "no rows"});
}

TEST(BadTrainingData, GlobalPoolingOverNoStepsIsAnError) {
  const Tensor empty = Tensor::zeros({2, 0, 4});
  GlobalAveragePooling1D average;
  expect_error_mentions([&] { average.forward(empty, {}); },
                        {"global_average_pooling1d", "[2, 0, 4]"});
  GlobalMaxPooling1D max;
  expect_error_mentions([&] { max.forward(empty, {}); }, {"global_max_pooling1d", "[2, 0, 4]"});
}

TEST(BadTrainingData, TextsOfOnlyUnknownWordsGiveAnErrorNotACrash) {
  Tokenizer tokenizer(100);
  tokenizer.fit_on_texts({"a good film", "a bad film"});
  const Tensor ids = pad_sequences(tokenizer.texts_to_sequences({"zzz qqq", "xxx"}));
  ASSERT_EQ(ids.shape(), (Shape{2, 0}));
  Sequential model;
  model.emplace<Embedding>(100, 4);
  model.emplace<GlobalAveragePooling1D>();
  model.emplace<Dense>(1, "sigmoid");
  expect_error_mentions([&] { model.predict(ids); }, {"global_average_pooling1d", "0 steps"});
}

TEST(BadTrainingData, HistoryOfNonFiniteLossesStillPlots) {
  History history;
  history.append({{"loss", std::nan("")}, {"val_loss", std::numeric_limits<double>::infinity()}});
  history.append({{"loss", 0.5}, {"val_loss", std::nan("")}});
  const std::string svg = temp_path("nan_history.svg");
  history.plot_svg(svg);
  const std::string plot = read_bytes(svg);
  EXPECT_NE(plot.find("</svg>"), std::string::npos);
  EXPECT_EQ(plot.find("nan"), std::string::npos) << "non-finite points must be left out";
  EXPECT_EQ(plot.find("inf"), std::string::npos) << "non-finite points must be left out";
  std::remove(svg.c_str());
}

}  // namespace
}  // namespace cuseq
