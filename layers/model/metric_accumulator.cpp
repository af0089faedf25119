// MetricAccumulator: Keras' stateful metrics over an epoch. Row means add up
// batch means weighted by rows; Precision, Recall, F1 and AUC count decisions
// on the host (their outputs are one probability per sample or label).
#include <cmath>

#include "cuseq/error.h"
#include "cuseq/losses.h"

namespace cuseq {
namespace {

constexpr int kAucThresholds = 200;  // Keras' AUC default num_thresholds

std::vector<double> host_values(const Tensor& tensor) {
  const Tensor host = tensor.to(Device::cpu());
  switch (host.dtype()) {
    case DType::float32: {
      const std::vector<float> values = host.to_vector<float>();
      return {values.begin(), values.end()};
    }
    case DType::float64:
      return host.to_vector<double>();
    case DType::int32: {
      const std::vector<std::int32_t> values = host.to_vector<std::int32_t>();
      return {values.begin(), values.end()};
    }
    default:
      fail("metric", "unsupported dtype in ", tensor.str());
  }
}

double ratio(double numerator, double denominator) {
  return denominator == 0.0 ? 0.0 : numerator / denominator;  // Keras' divide_no_nan
}

}  // namespace

MetricAccumulator::MetricAccumulator(Metric metric) : metric_(std::move(metric)) {
  switch (metric_.statistic) {
    case MetricStatistic::row_mean:
      return;
    case MetricStatistic::auc:
      // Keras: -eps, then (i + 1) / (n - 1) for i < n - 2, then 1 + eps.
      thresholds_.push_back(-1e-7);
      for (int i = 0; i < kAucThresholds - 2; ++i) {
        thresholds_.push_back((i + 1) * 1.0 / (kAucThresholds - 1));
      }
      thresholds_.push_back(1.0 + 1e-7);
      break;
    default:
      thresholds_ = {0.5};
  }
  true_positives_.assign(thresholds_.size(), 0.0);
  false_positives_.assign(thresholds_.size(), 0.0);
  positives_.assign(1, 0.0);
  negatives_.assign(1, 0.0);
}

void MetricAccumulator::update(const Tensor& predictions, const Tensor& target) {
  if (metric_.statistic == MetricStatistic::row_mean) {
    const double rows = predictions.dim(-1) == 0
                            ? 0.0
                            : static_cast<double>(predictions.numel() / predictions.dim(-1));
    sum_ += rows * compute_metric(metric_, predictions, target);
    rows_ += rows;
    return;
  }
  check(target.numel() == predictions.numel(), metric_.name,
        "needs one target per output (binary or multi-label), got predictions ", predictions,
        " and target ", target);
  const std::vector<double> p = host_values(predictions), y = host_values(target);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const bool positive = y[i] != 0.0;  // Keras casts the labels to bool
    (positive ? positives_[0] : negatives_[0]) += 1.0;
    for (std::size_t t = 0; t < thresholds_.size(); ++t) {
      if (p[i] > thresholds_[t]) (positive ? true_positives_[t] : false_positives_[t]) += 1.0;
    }
  }
}

double MetricAccumulator::result() const {
  switch (metric_.statistic) {
    case MetricStatistic::row_mean:
      return ratio(sum_, rows_);
    case MetricStatistic::precision:
      return ratio(true_positives_[0], true_positives_[0] + false_positives_[0]);
    case MetricStatistic::recall:
      return ratio(true_positives_[0], positives_[0]);
    case MetricStatistic::f1: {
      const double precision = ratio(true_positives_[0], true_positives_[0] + false_positives_[0]);
      const double recall = ratio(true_positives_[0], positives_[0]);
      return ratio(2.0 * precision * recall, precision + recall);
    }
    case MetricStatistic::auc: {
      // ROC with the trapezoid rule over the thresholds, as Keras' interpolation.
      double area = 0.0;
      for (std::size_t t = 0; t + 1 < thresholds_.size(); ++t) {
        const double fpr0 = ratio(false_positives_[t], negatives_[0]);
        const double fpr1 = ratio(false_positives_[t + 1], negatives_[0]);
        const double tpr0 = ratio(true_positives_[t], positives_[0]);
        const double tpr1 = ratio(true_positives_[t + 1], positives_[0]);
        area += (fpr0 - fpr1) * (tpr0 + tpr1) / 2.0;
      }
      return area;
    }
  }
  return 0.0;
}

}  // namespace cuseq
