// fit()'s sample_weight, class_weight and validation_data, checked against
// one SGD step worked out by hand.
#include <gtest/gtest.h>

#include "test_support.h"

namespace cuseq {
namespace {

// Dense(1, sigmoid) in float64 with kernel 0.5 and bias 0, SGD with rate 1.
Sequential logistic(double learning_rate = 1.0) {
  Sequential model;
  model.emplace<Dense>(1, "sigmoid");
  model.build({1}, DType::float64, Device::cpu());
  model.set_weights(
      {{Tensor::from_vector<double>({0.5}, {1, 1}), Tensor::from_vector<double>({0.0}, {1})}});
  model.compile(std::make_unique<SGD>(learning_rate), loss_from_name("binary_crossentropy"));
  return model;
}

const Tensor kX = Tensor::from_vector<double>({1.0, -2.0, 3.0}, {3, 1});
const Tensor kY = Tensor::from_vector<double>({1.0, 1.0, 0.0}, {3, 1});

FitOptions one_batch() {
  FitOptions options;
  options.verbose = 0;
  options.shuffle = false;
  options.batch_size = 3;
  return options;
}

TEST(FitOptions, SampleWeightScalesEachRowsLossAndGradient) {
  const std::vector<double> w = {2.0, 0.0, 0.5};
  Sequential model = logistic();
  FitOptions options = one_batch();
  options.sample_weight = Tensor::from_vector<double>(w, {3});
  const History history = model.fit(kX, kY, options);
  // Keras: loss = sum(w_i * bce_i) / 3; dL/dz_i = w_i (p_i - y_i) / 3.
  const std::vector<double> x = {1.0, -2.0, 3.0}, y = {1.0, 1.0, 0.0};
  double loss = 0, grad_kernel = 0, grad_bias = 0;
  for (int i = 0; i < 3; ++i) {
    const double p = 1.0 / (1.0 + std::exp(-0.5 * x[i]));
    loss += w[i] * -(y[i] * std::log(p) + (1 - y[i]) * std::log(1 - p)) / 3.0;
    grad_kernel += w[i] * (p - y[i]) * x[i] / 3.0;
    grad_bias += w[i] * (p - y[i]) / 3.0;
  }
  EXPECT_NEAR(history["loss"][0], loss, 1e-12);
  const std::vector<Tensor> weights = model.layer(0).get_weights();
  EXPECT_NEAR(weights[0].to_vector<double>()[0], 0.5 - grad_kernel, 1e-12);
  EXPECT_NEAR(weights[1].to_vector<double>()[0], -grad_bias, 1e-12);
}

TEST(FitOptions, ClassWeightIsTheSampleWeightOfEachRowsClass) {
  Sequential by_class = logistic(), by_sample = logistic();
  FitOptions classes = one_batch(), samples = one_batch();
  classes.class_weight = {{0, 3.0}};  // class 1 is not listed: weight 1
  samples.sample_weight = Tensor::from_vector<double>({1.0, 1.0, 3.0}, {3});
  EXPECT_EQ(by_class.fit(kX, kY, classes)["loss"], by_sample.fit(kX, kY, samples)["loss"]);
  EXPECT_EQ(by_class.layer(0).get_weights()[0].to_vector<double>(),
            by_sample.layer(0).get_weights()[0].to_vector<double>());
  FitOptions both = classes;
  both.sample_weight = samples.sample_weight;
  testing::expect_error_mentions([&] { by_class.fit(kX, kY, both); },
                                 {"sample_weight or class_weight"});
  FitOptions wrong = one_batch();
  wrong.sample_weight = Tensor::from_vector<double>({1.0, 2.0}, {2});
  testing::expect_error_mentions([&] { by_class.fit(kX, kY, wrong); },
                                 {"sample_weight of shape [3]"});
}

TEST(FitOptions, ValidationDataIsEvaluatedAfterEachEpoch) {
  Sequential model = logistic(0.0);
  FitOptions options = one_batch();
  options.epochs = 2;
  options.validation_data = {Tensor::from_vector<double>({1.0}, {1, 1}),
                             Tensor::from_vector<double>({0.0}, {1, 1})};
  const History history = model.fit(kX, kY, options);
  const double p = 1.0 / (1.0 + std::exp(-0.5));
  EXPECT_NEAR(history["val_loss"][1], -std::log(1 - p), 1e-12);
}

}  // namespace
}  // namespace cuseq
