// Keras' stateful metrics: Precision, Recall, F1 and AUC over the batches of
// an epoch, against values worked out by hand.
#include <gtest/gtest.h>

#include "test_support.h"

namespace cuseq {
namespace {

Tensor column(std::vector<float> values) {
  const auto rows = static_cast<std::int64_t>(values.size());
  return Tensor::from_vector(std::move(values), {rows, 1});
}

double metric_over(const std::string& name, const std::vector<std::vector<float>>& predictions,
                   const std::vector<std::vector<float>>& targets) {
  MetricAccumulator metric(metric_from_name(name, loss_from_name("binary_crossentropy")));
  for (std::size_t b = 0; b < predictions.size(); ++b) {
    metric.update(column(predictions[b]), column(targets[b]));
  }
  return metric.result();
}

// Predictions 0.9 0.6 0.4 0.2 0.7 for labels 1 1 1 0 0: at 0.5 TP 2, FP 1, FN 1.
const std::vector<float> kPredictions = {0.9f, 0.6f, 0.4f, 0.2f, 0.7f};
const std::vector<float> kLabels = {1, 1, 1, 0, 0};

TEST(Metrics, PrecisionRecallAndF1CountDecisionsAtOneHalf) {
  EXPECT_DOUBLE_EQ(metric_over("precision", {kPredictions}, {kLabels}), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(metric_over("recall", {kPredictions}, {kLabels}), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(metric_over("f1", {kPredictions}, {kLabels}), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(metric_over("Precision", {{0.9f, 0.1f}}, {{0, 0}}), 0.0);
  EXPECT_DOUBLE_EQ(metric_over("recall", {{0.1f}}, {{0}}), 0.0);  // no positives: 0, as Keras
}

TEST(Metrics, EpochStatisticsAreNotMeansOfBatchValues) {
  // Batch precisions 1/1 and 1/2 average to 0.75; the epoch's is 2/3.
  EXPECT_DOUBLE_EQ(metric_over("precision", {{0.9f}, {0.6f, 0.7f}}, {{1}, {1, 0}}), 2.0 / 3.0);
}

TEST(Metrics, AucIsTheAreaUnderTheRocCurve) {
  // Positives 0.9 0.6 0.4, negatives 0.2 0.7: of the 6 pairs, 4 are ordered
  // right (scikit-learn's roc_auc_score 4/6); the 200 thresholds separate all values.
  EXPECT_NEAR(metric_over("auc", {kPredictions}, {kLabels}), 4.0 / 6.0, 1e-12);
  EXPECT_NEAR(metric_over("AUC", {{0.9f, 0.6f}, {0.4f, 0.2f, 0.7f}}, {{1, 1}, {1, 0, 0}}),
              4.0 / 6.0, 1e-12);
  EXPECT_NEAR(metric_over("auc", {{0.8f, 0.3f}}, {{1, 0}}), 1.0, 1e-12);
}

TEST(Metrics, FitReportsTheNewMetricsUnderTheirNames) {
  Sequential model;
  model.emplace<Dense>(1, "sigmoid");
  model.build({1}, DType::float32, Device::cpu());
  model.compile("sgd", "binary_crossentropy", {"accuracy", "precision", "recall", "f1", "auc"});
  FitOptions quiet;
  quiet.verbose = 0;
  quiet.validation_data = {column({0.5f, -0.5f}), column({1, 0})};
  const History history = model.fit(column({1, -1, 2, -2}), column({1, 0, 1, 0}), quiet);
  for (const char* key : {"precision", "recall", "f1", "auc", "val_auc", "val_precision"}) {
    EXPECT_TRUE(history.contains(key)) << key;
  }
  const EpochLogs logs = model.evaluate(column({1, -1}), column({1, 0}));
  EXPECT_TRUE(has_log(logs, "auc"));
}

TEST(Metrics, PrecisionOnSparseClassIdsIsAClearError) {
  MetricAccumulator metric(metric_from_name("precision", loss_from_name("binary_crossentropy")));
  testing::expect_error_mentions(
      [&] {
        metric.update(Tensor::zeros({2, 3}), Tensor::from_vector<std::int32_t>({0, 2}, {2}));
      },
      {"precision", "one target per output"});
}

}  // namespace
}  // namespace cuseq
