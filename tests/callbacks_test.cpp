// EarlyStopping's messages and restore, ReduceLROnPlateau and
// LearningRateScheduler, driven epoch by epoch as fit() drives them.
#include <gtest/gtest.h>

#include <sstream>

#include "test_support.h"

namespace cuseq {
namespace {

Sequential compiled_model(double learning_rate) {
  Sequential model;
  model.emplace<Dense>(1);
  model.build({1}, DType::float32, Device::cpu());
  model.compile(std::make_unique<SGD>(learning_rate), loss_from_name("mse"));
  return model;
}

TEST(EarlyStopping, PrintsWhenItStopsAndRestoresAsKerasDoes) {
  Sequential model = compiled_model(0.1);
  EarlyStoppingOptions options;
  options.monitor = "loss", options.patience = 1, options.verbose = 1;
  options.restore_best_weights = true;
  EarlyStopping stopper(options);
  std::ostringstream out;
  stopper.output = &out;
  stopper.on_train_begin(model);
  stopper.on_epoch_end(0, {{"loss", 1.0}}, model);
  const std::vector<float> best = model.layer(0).get_weights()[0].to_vector<float>();
  model.layer(0).set_weights({Tensor::from_vector<float>({7.f}, {1, 1}), Tensor::zeros({1})});
  stopper.on_epoch_end(1, {{"loss", 2.0}}, model);
  EXPECT_TRUE(model.stop_training);
  stopper.on_train_end(model);
  EXPECT_EQ(out.str(),
            "Epoch 2: early stopping\n"
            "Restoring model weights from the end of the best epoch: 1.\n");
  EXPECT_EQ(model.layer(0).get_weights()[0].to_vector<float>(), best);
}

TEST(EarlyStopping, RestoresTheBestWeightsAtTheEndEvenWithoutStopping) {
  Sequential model = compiled_model(0.1);
  EarlyStoppingOptions options;
  options.monitor = "loss", options.patience = 5, options.restore_best_weights = true;
  EarlyStopping stopper(options);
  std::ostringstream out;
  stopper.output = &out;
  stopper.on_train_begin(model);
  stopper.on_epoch_end(0, {{"loss", 1.0}}, model);
  const std::vector<float> best = model.layer(0).get_weights()[0].to_vector<float>();
  model.layer(0).set_weights({Tensor::from_vector<float>({7.f}, {1, 1}), Tensor::zeros({1})});
  stopper.on_epoch_end(1, {{"loss", 2.0}}, model);
  stopper.on_train_end(model);
  EXPECT_EQ(out.str(), "");  // verbose 0
  EXPECT_EQ(model.layer(0).get_weights()[0].to_vector<float>(), best);
}

TEST(ReduceLROnPlateau, ReducesAfterPatienceThenCoolsDownAndStopsAtMinLr) {
  Sequential model = compiled_model(1.0);
  ReduceLROnPlateauOptions options;
  options.monitor = "val_loss", options.factor = 0.5, options.patience = 2;
  options.cooldown = 1, options.min_lr = 0.3, options.verbose = 1;
  ReduceLROnPlateau reduce(options);
  std::ostringstream out;
  reduce.output = &out;
  reduce.on_train_begin(model);
  const double losses[] = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
  std::vector<double> rates;
  for (int epoch = 0; epoch < 8; ++epoch) {
    reduce.on_epoch_end(epoch, {{"val_loss", losses[epoch]}}, model);
    rates.push_back(model.optimizer().learning_rate);
  }
  // Epoch 0 sets the best; 1, 2 wait -> 0.5; 3 cools down; 4, 5 wait -> 0.3 (min_lr); then no
  // change.
  EXPECT_EQ(rates, (std::vector<double>{1.0, 1.0, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3}));
  EXPECT_EQ(out.str(),
            "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.5.\n"
            "\nEpoch 6: ReduceLROnPlateau reducing learning rate to 0.3.\n");
}

TEST(LearningRateScheduler, SetsTheRateBeforeEachEpochOfFit) {
  Sequential model = compiled_model(1.0);
  std::vector<double> seen;
  auto schedule = std::make_shared<LearningRateScheduler>(
      [&](int epoch, double rate) {
        seen.push_back(rate);
        return 0.1 / (epoch + 1);
      },
      1);
  std::ostringstream out;
  FitOptions options;
  options.epochs = 3;
  options.verbose = 0;
  options.output = &out;
  options.callbacks = {schedule};
  model.fit(Tensor::from_vector<float>({1.f, 2.f}, {2, 1}),
            Tensor::from_vector<float>({0.f, 1.f}, {2, 1}), options);
  EXPECT_EQ(seen, (std::vector<double>{1.0, 0.1, 0.05}));
  EXPECT_DOUBLE_EQ(model.optimizer().learning_rate, 0.1 / 3);
  EXPECT_NE(out.str().find("Epoch 2: LearningRateScheduler setting learning rate to 0.05."),
            std::string::npos)
      << out.str();
}

}  // namespace
}  // namespace cuseq
