// Losses and metrics against Keras' formulas written out here, and loss
// gradients against float64 finite differences.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "test_support.h"

namespace cuseq {
namespace {

using testing::expect_all_near;
using testing::random_values;

constexpr double kEps = 1e-7;

double clip(double p) { return std::min(std::max(p, kEps), 1 - kEps); }

// Keras' per-row losses, straight from the formulas.
using RowReference =
    std::function<double(const double* p, const double* y, int label, int columns)>;

double reference_mean(const RowReference& row, const std::vector<double>& p,
                      const std::vector<double>& y, const std::vector<int>& labels, int columns) {
  const int rows = static_cast<int>(p.size()) / columns;
  double total = 0;
  for (int r = 0; r < rows; ++r) {
    total += row(&p[r * columns], y.empty() ? nullptr : &y[r * columns],
                 labels.empty() ? 0 : labels[r], columns);
  }
  return total / rows;
}

const RowReference kBinary = [](const double* p, const double* y, int, int columns) {
  double s = 0;
  for (int c = 0; c < columns; ++c) {
    const double q = clip(p[c]);
    s += -(y[c] * std::log(q) + (1 - y[c]) * std::log(1 - q));  // Keras 3: no eps in the logs
  }
  return s / columns;
};
const RowReference kBinaryLogits = [](const double* x, const double* y, int, int columns) {
  double s = 0;
  for (int c = 0; c < columns; ++c) {
    const double sig = 1 / (1 + std::exp(-x[c]));
    s += -(y[c] * std::log(sig) + (1 - y[c]) * std::log(1 - sig));
  }
  return s / columns;
};
const RowReference kCategorical = [](const double* p, const double* y, int, int columns) {
  double sum = 0, s = 0;
  for (int c = 0; c < columns; ++c) sum += p[c];
  for (int c = 0; c < columns; ++c) s -= y[c] * std::log(clip(p[c] / sum));
  return s;
};
double softmax_log(const double* x, int c, int columns) {
  double z = 0;
  for (int j = 0; j < columns; ++j) z += std::exp(x[j]);
  return x[c] - std::log(z);
}
const RowReference kCategoricalLogits = [](const double* x, const double* y, int, int columns) {
  double s = 0;
  for (int c = 0; c < columns; ++c) s -= y[c] * softmax_log(x, c, columns);
  return s;
};
const RowReference kSparse = [](const double* p, const double*, int label, int columns) {
  double sum = 0;
  for (int c = 0; c < columns; ++c) sum += clip(p[c]);
  return -std::log(clip(p[label]) / sum);
};
const RowReference kSparseLogits = [](const double* x, const double*, int label, int columns) {
  return -softmax_log(x, label, columns);
};
const RowReference kMse = [](const double* p, const double* y, int, int columns) {
  double s = 0;
  for (int c = 0; c < columns; ++c) s += (p[c] - y[c]) * (p[c] - y[c]);
  return s / columns;
};
const RowReference kMae = [](const double* p, const double* y, int, int columns) {
  double s = 0;
  for (int c = 0; c < columns; ++c) s += std::fabs(p[c] - y[c]);
  return s / columns;
};

struct Case {
  const char* name;
  bool from_logits;
  RowReference reference;
  bool probabilities;  // predictions in (0, 1) rather than any real
  bool sparse;
};

const Case kCases[] = {
    {"binary_crossentropy", false, kBinary, true, false},
    {"binary_crossentropy", true, kBinaryLogits, false, false},
    {"categorical_crossentropy", false, kCategorical, true, false},
    {"categorical_crossentropy", true, kCategoricalLogits, false, false},
    {"sparse_categorical_crossentropy", false, kSparse, true, true},
    {"sparse_categorical_crossentropy", true, kSparseLogits, false, true},
    {"mse", false, kMse, false, false},
    {"mae", false, kMae, false, false},
};

constexpr int kRows = 6, kColumns = 5;

struct Inputs {
  std::vector<double> p, y;
  std::vector<int> labels;
  Tensor target;
};

Inputs inputs_for(const Case& c, std::uint64_t seed) {
  Inputs in;
  in.p = c.probabilities ? random_values(kRows * kColumns, seed, 0.02, 0.98)
                         : random_values(kRows * kColumns, seed, -3, 3);
  if (c.sparse) {
    for (int r = 0; r < kRows; ++r) in.labels.push_back((r * 3 + 1) % kColumns);
    in.target = Tensor::from_vector<std::int32_t>(
        std::vector<std::int32_t>(in.labels.begin(), in.labels.end()), {kRows});
  } else {
    in.y = random_values(kRows * kColumns, seed + 1, 0, 1);
    in.target = Tensor::from_vector<double>(in.y, {kRows, kColumns});
  }
  return in;
}

TEST(Losses, ValuesMatchKerasFormulas) {
  for (const Case& c : kCases) {
    const Inputs in = inputs_for(c, 3);
    const Loss loss = loss_from_name(c.name, c.from_logits);
    const double expected = reference_mean(c.reference, in.p, in.y, in.labels, kColumns);
    const Tensor p64 = Tensor::from_vector<double>(in.p, {kRows, kColumns});
    EXPECT_NEAR(compute_loss(loss, p64, in.target), expected, 1e-12 * (1 + std::fabs(expected)))
        << c.name << " from_logits=" << c.from_logits;
    // float32 agrees to float32 rounding.
    const Tensor p32 =
        Tensor::from_vector<float>(std::vector<float>(in.p.begin(), in.p.end()), {kRows, kColumns});
    const Tensor t32 = c.sparse
                           ? in.target
                           : Tensor::from_vector<float>(
                                 std::vector<float>(in.y.begin(), in.y.end()), {kRows, kColumns});
    EXPECT_NEAR(compute_loss(loss, p32, t32), expected, 2e-5 * (1 + std::fabs(expected))) << c.name;
  }
}

TEST(Losses, GradientsMatchFiniteDifferencesInFloat64) {
  for (const Case& c : kCases) {
    const Inputs in = inputs_for(c, 7);
    const Loss loss = loss_from_name(c.name, c.from_logits);
    const Tensor p = Tensor::from_vector<double>(in.p, {kRows, kColumns});
    Tensor grad = Tensor::zeros({kRows, kColumns}, DType::float64);
    compute_loss(loss, p, in.target, grad);
    std::vector<double> numeric(in.p.size());
    const double h = 1e-6;
    for (std::size_t i = 0; i < in.p.size(); ++i) {
      std::vector<double> plus = in.p, minus = in.p;
      plus[i] += h;
      minus[i] -= h;
      numeric[i] = (reference_mean(c.reference, plus, in.y, in.labels, kColumns) -
                    reference_mean(c.reference, minus, in.y, in.labels, kColumns)) /
                   (2 * h);
    }
    expect_all_near(grad.to_vector<double>(), numeric, 1e-6,
                    std::string(c.name) + (c.from_logits ? " logits" : ""));
  }
}

TEST(Losses, ProbabilitiesAreClippedAsKerasDoes) {
  // p = 0 with y = 1: Keras 3 clips to 1e-7, so the loss is -log(1e-7), finite.
  const Loss loss = loss_from_name("binary_crossentropy");
  const Tensor p = Tensor::from_vector<double>({0.0}, {1, 1});
  const Tensor y = Tensor::from_vector<double>({1.0}, {1, 1});
  Tensor grad = Tensor::zeros({1, 1}, DType::float64);
  EXPECT_NEAR(compute_loss(loss, p, y, grad), -std::log(1e-7), 1e-9);
  EXPECT_EQ(grad.to_vector<double>()[0], 0.0);  // outside the clip range no gradient flows
}

TEST(Losses, FromLogitsIsStableForHugeLogits) {
  const Tensor x = Tensor::from_vector<float>({1000.f, -1000.f, 0.f}, {1, 3});
  const Tensor onehot = Tensor::from_vector<float>({0.f, 1.f, 0.f}, {1, 3});
  const double ce = compute_loss(loss_from_name("categorical_crossentropy", true), x, onehot);
  EXPECT_NEAR(ce, 2000.0, 1e-2);
  const Tensor y = Tensor::from_vector<float>({1.f, 1.f, 0.f}, {1, 3});
  const double bce = compute_loss(loss_from_name("binary_crossentropy", true), x, y);
  EXPECT_NEAR(bce, (0 + 1000 + std::log(2.0)) / 3, 1e-3);
}

TEST(Losses, SparseLabelOutOfRangeIsAnError) {
  const Tensor p = Tensor::from_vector<float>({0.2f, 0.8f, 0.5f, 0.5f}, {2, 2});
  const Tensor labels = Tensor::from_vector<std::int32_t>({1, 2}, {2});
  testing::expect_error_mentions(
      [&] { compute_loss(loss_from_name("sparse_categorical_crossentropy"), p, labels); },
      {"sparse_categorical_crossentropy", "label 2", "position 1", "[0, 2)"});
}

TEST(Losses, MismatchedTargetIsAnError) {
  const Tensor p = Tensor::zeros({2, 3});
  testing::expect_error_mentions(
      [&] {
        compute_loss(loss_from_name("mse"), p, Tensor::zeros({2, 4}));
      },
      {"loss", "target", "[2, 3]"});
  testing::expect_error_mentions([] { loss_from_name("hinge"); }, {"unknown loss", "hinge"});
}

TEST(Metrics, AccuracyIsChosenAsKerasDoes) {
  const Loss bce = loss_from_name("binary_crossentropy");
  // Binary: last axis 1, threshold 0.5.
  const Tensor p = Tensor::from_vector<float>({0.7f, 0.2f, 0.5f, 0.9f}, {4, 1});
  const Tensor y = Tensor::from_vector<float>({1, 0, 1, 0}, {4, 1});
  EXPECT_DOUBLE_EQ(compute_metric(metric_from_name("accuracy", bce), p, y), 0.5);
  // Categorical: one-hot targets, first argmax.
  const Loss cce = loss_from_name("categorical_crossentropy");
  const Tensor q =
      Tensor::from_vector<float>({0.1f, 0.7f, 0.2f, 0.5f, 0.4f, 0.1f, 0.3f, 0.3f, 0.4f}, {3, 3});
  const Tensor onehot = Tensor::from_vector<float>({0, 1, 0, 0, 1, 0, 0, 0, 1}, {3, 3});
  EXPECT_NEAR(compute_metric(metric_from_name("accuracy", cce), q, onehot), 2.0 / 3, 1e-6);
  // Sparse: int ids.
  const Loss scce = loss_from_name("sparse_categorical_crossentropy");
  const Tensor ids = Tensor::from_vector<std::int32_t>({1, 0, 1}, {3});
  EXPECT_NEAR(compute_metric(metric_from_name("accuracy", scce), q, ids), 2.0 / 3, 1e-6);
}

TEST(Metrics, MaeAndMseAverageAbsoluteAndSquaredErrors) {
  const Loss mse = loss_from_name("mse");
  const Tensor p = Tensor::from_vector<double>({1, 2, 3, 4}, {2, 2});
  const Tensor y = Tensor::from_vector<double>({0, 2, 5, 4}, {2, 2});
  EXPECT_DOUBLE_EQ(compute_metric(metric_from_name("mae", mse), p, y), (1 + 0 + 2 + 0) / 4.0);
  EXPECT_DOUBLE_EQ(compute_metric(metric_from_name("mse", mse), p, y), (1 + 0 + 4 + 0) / 4.0);
}

}  // namespace
}  // namespace cuseq
