// Sequential: summary, fit, validation split, callbacks, History output.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "test_support.h"

namespace cuseq {
namespace {

// A parameter-free test layer that scales its input by 2 (output shape = input shape).
class Doubler : public Layer {
 public:
  explicit Doubler(std::string name) : Layer(std::move(name)) {}
  std::string type() const override { return "Doubler"; }
  LayerConfig config() const override { return {}; }
  Shape output_shape(const Shape& input_shape) const override { return input_shape; }
  Tensor forward(const Tensor& input, const ForwardContext&) override {
    Tensor out = Tensor::empty(input.shape(), input.dtype(), input.device());
    ops::axpby(2.0, input, 0.0, input, out);
    return out;
  }
  Tensor backward(const Tensor& grad_output) override {
    Tensor out = Tensor::empty(grad_output.shape(), grad_output.dtype(), grad_output.device());
    ops::axpby(2.0, grad_output, 0.0, grad_output, out);
    return out;
  }

 protected:
  void build_weights(const Shape&, Generator&) override { add_parameter("scale", Shape{3, 4}); }
};

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "cuseq_" + std::to_string(::getpid()) + "_" + name;
}

TEST(Sequential, SummaryOfTestLayersMatchesKerasLayout) {
  Sequential model("toy");
  model.add(std::make_unique<Doubler>("double_me"));
  model.layer(0).trainable = false;
  model.build({5}, DType::float32, Device::cpu());
  std::ostringstream out;
  model.summary(out);
  const std::string expected =
      "Model: \"toy\"\n" + std::string(65, '_') + "\n" +
      " Layer (type)                Output Shape              Param #   \n" + std::string(65, '=') +
      "\n" + " double_me (Doubler)         (None, 5)                 12        \n" +
      std::string(65, ' ') + "\n" + std::string(65, '=') + "\n" +
      "Total params: 12\nTrainable params: 0\nNon-trainable params: 12\n" + std::string(65, '_') +
      "\n";
  EXPECT_EQ(out.str(), expected);
}

TEST(Sequential, SummaryCountsTheSentimentModelAsKeras) {
  Sequential model;
  model.emplace<Embedding>(10000, 8, 20);
  model.emplace<Flatten>();
  model.emplace<Dense>(1, "sigmoid");
  model.build({20}, DType::float32, Device::cpu());
  std::ostringstream out;
  model.summary(out);
  const std::string text = out.str();
  EXPECT_NE(text.find("(None, 20, 8)             80000"), std::string::npos) << text;
  EXPECT_NE(text.find("(None, 160)               0"), std::string::npos) << text;
  EXPECT_NE(text.find("(None, 1)                 161"), std::string::npos) << text;
  EXPECT_NE(text.find("Total params: 80,161\nTrainable params: 80,161\nNon-trainable params: 0\n"),
            std::string::npos)
      << text;
  model.layer(0).trainable = false;
  std::ostringstream frozen;
  model.summary(frozen);
  EXPECT_NE(frozen.str().find("Trainable params: 161\nNon-trainable params: 80,000\n"),
            std::string::npos);
}

// Two Gaussian-free clusters split by x0 + x1 > 0: linearly separable.
void separable_data(int rows, Tensor& x, Tensor& y, std::uint64_t seed = 11) {
  const std::vector<double> values =
      testing::random_values(static_cast<std::size_t>(rows) * 2, seed);
  std::vector<float> xs, ys;
  for (int r = 0; r < rows; ++r) {
    const double a = values[2 * r], b = values[2 * r + 1];
    const double shift = (a + b > 0) ? 0.2 : -0.2;  // a margin between the classes
    xs.push_back(static_cast<float>(a + shift));
    xs.push_back(static_cast<float>(b + shift));
    ys.push_back(a + b > 0 ? 1.f : 0.f);
  }
  x = Tensor::from_vector<float>(xs, {rows, 2});
  y = Tensor::from_vector<float>(ys, {rows, 1});
}

Sequential logistic_model(const std::string& optimizer = "adam") {
  Sequential model;
  model.emplace<Dense>(1, "sigmoid");
  model.build({2}, DType::float32, Device::cpu());
  auto chosen = optimizer_from_name(optimizer);
  chosen->learning_rate = 0.05;
  model.compile(std::move(chosen), loss_from_name("binary_crossentropy"), {"accuracy"});
  return model;
}

TEST(Sequential, FitLearnsALinearlySeparableProblem) {
  Tensor x, y;
  separable_data(256, x, y);
  Sequential model = logistic_model();
  FitOptions options;
  options.epochs = 30;
  options.verbose = 0;
  const History history = model.fit(x, y, options);
  EXPECT_EQ(history.epochs(), 30);
  EXPECT_LT(history["loss"].back(), history["loss"].front());
  EXPECT_GT(history["accuracy"].back(), 0.95);
  EXPECT_GT(log_value(model.evaluate(x, y), "accuracy"), 0.95);
  const Tensor predictions = model.predict(x, 100);
  EXPECT_EQ(predictions.shape(), (Shape{256, 1}));
}

TEST(Sequential, ValidationSplitTakesTheLastRows) {
  // Training rows are all class 0, the last 25% all class 1: a model trained
  // on the first rows alone scores 0 accuracy on the held-out ones.
  const int rows = 40;
  std::vector<float> xs(rows * 2, 0.f), ys(rows, 0.f);
  for (int r = 30; r < rows; ++r) ys[r] = 1.f;
  Sequential model = logistic_model("sgd");
  FitOptions options;
  options.epochs = 3;
  options.validation_split = 0.25;
  options.verbose = 0;
  const History history = model.fit(Tensor::from_vector<float>(xs, {rows, 2}),
                                    Tensor::from_vector<float>(ys, {rows, 1}), options);
  ASSERT_TRUE(history.contains("val_accuracy"));
  EXPECT_EQ(history["accuracy"].back(), 1.0);
  EXPECT_EQ(history["val_accuracy"].back(), 0.0);
  EXPECT_EQ(history.keys(),
            (std::vector<std::string>{"loss", "accuracy", "val_loss", "val_accuracy"}));
}

TEST(Sequential, EarlyStoppingStopsWhenTheMonitorStallsAndRestoresTheBest) {
  Tensor x, y;
  separable_data(64, x, y);
  Sequential model = logistic_model("sgd");
  model.optimizer().learning_rate = 0.0;  // nothing improves after the first epoch
  EarlyStoppingOptions stop;
  stop.monitor = "loss", stop.patience = 2, stop.restore_best_weights = true;
  auto stopper = std::make_shared<EarlyStopping>(stop);
  FitOptions options;
  options.epochs = 20;
  options.verbose = 0;
  options.shuffle = false;  // identical epochs, bit for bit
  options.callbacks = {stopper};
  const History history = model.fit(x, y, options);
  EXPECT_EQ(history.epochs(), 3);  // epoch 0 sets the best, epochs 1 and 2 wait
  EXPECT_EQ(stopper->stopped_epoch(), 2);
  EXPECT_EQ(stopper->best_epoch(), 0);
}

TEST(Sequential, RegularizationIsAddedToTheLossAndShownSeparately) {
  Tensor x, y;
  separable_data(32, x, y);
  Sequential model;
  model.emplace<Dense>(1, DenseOptions{"sigmoid", true, l2(0.5), {}, {}, ""});
  model.build({2}, DType::float32, Device::cpu());
  model.compile(std::make_unique<SGD>(0.0), loss_from_name("binary_crossentropy"));
  FitOptions options;
  options.verbose = 0;
  options.shuffle = false;
  const History history = model.fit(x, y, options);
  const std::vector<Tensor> weights = model.layer(0).get_weights();
  double expected_penalty = 0;
  for (const float w : weights[0].to_vector<float>()) expected_penalty += 0.5 * w * w;
  EXPECT_NEAR(history["regularization_loss"][0], expected_penalty, 1e-6);
  EXPECT_NEAR(history["loss"][0] - expected_penalty,
              compute_loss(loss_from_name("binary_crossentropy"), model.predict(x), y), 1e-5);
}

TEST(Sequential, ProgressWritesOneLinePerEpochWhenNotATerminal) {
  Tensor x, y;
  separable_data(64, x, y);
  Sequential model = logistic_model();
  std::ostringstream out;
  FitOptions options;
  options.epochs = 3;
  options.batch_size = 16;
  options.validation_split = 0.25;
  options.output = &out;
  model.fit(x, y, options);
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_NE(text.find("Epoch 2/3 - 3/3 - "), std::string::npos) << text;
  EXPECT_NE(text.find(" - val_accuracy: "), std::string::npos) << text;
}

TEST(History, CsvAndSvgAreWritten) {
  History history;
  history.append({{"loss", 0.5}, {"accuracy", 0.75}, {"val_loss", 0.625}, {"val_accuracy", 0.5}});
  history.append({{"loss", 0.25}, {"accuracy", 1.0}, {"val_loss", 0.375}, {"val_accuracy", 0.75}});
  const std::string csv = temp_path("history.csv"), svg = temp_path("history.svg");
  history.to_csv(csv);
  EXPECT_EQ(
      read_text(csv),
      "epoch,loss,accuracy,val_loss,val_accuracy\n0,0.5,0.75,0.625,0.5\n1,0.25,1,0.375,0.75\n");
  history.plot_svg(svg);
  const std::string plot = read_text(svg);
  EXPECT_EQ(plot.rfind("<?xml", 0), 0u);
  EXPECT_NE(plot.find("</svg>"), std::string::npos);
  EXPECT_EQ(std::count(plot.begin(), plot.end(), '<') > 20, true);
  EXPECT_NE(plot.find("validation accuracy"), std::string::npos);
  EXPECT_NE(plot.find("stroke-dasharray"), std::string::npos);
  testing::expect_error_mentions([&] { history["auc"]; }, {"History", "auc", "loss, accuracy"});
}

}  // namespace
}  // namespace cuseq
