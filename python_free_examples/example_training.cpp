#include "example_training.h"

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>

#include "dataset_rows.h"

namespace cuseq::examples {

RunSettings run_settings(const Args& args, int epochs, const std::string& out) {
  const std::string device = args.text("device", "");
  RunSettings settings{static_cast<int>(args.integer("epochs", epochs)),
                       static_cast<int>(args.integer("batch-size", 32)), args.text("out", out),
                       device.empty() ? default_device() : Device::parse(device)};
  std::filesystem::create_directories(settings.out);
  return settings;
}

double fit_and_report_accuracy(Sequential& model, const Tensor& train_x, const Tensor& train_y,
                               const Tensor& test_x, const Tensor& test_y,
                               const RunSettings& settings, const std::string& tag,
                               double majority) {
  model.summary(std::cout);
  FitOptions options;
  options.epochs = settings.epochs;
  options.batch_size = settings.batch_size;
  options.validation_split = 0.2;
  const History history = model.fit(train_x, train_y, options);
  const std::string curves = settings.out + "/" + tag;
  history.to_csv(curves + ".csv");
  history.plot_svg(curves + ".svg");
  const EpochLogs test = model.evaluate(test_x, test_y, settings.batch_size);
  const double accuracy = log_value(test, "accuracy");
  std::cout << std::fixed << std::setprecision(3) << tag << ": test accuracy " << accuracy
            << " (majority class " << majority << "), test loss " << log_value(test, "loss")
            << "; curves in " << curves << ".svg\n\n";
  return accuracy;
}

MajorityClass majority_class(const Tensor& labels) {
  std::map<std::int32_t, std::int64_t> counts;
  if (labels.dtype() == DType::int32) {
    for (const std::int32_t label : labels.to_vector<std::int32_t>()) ++counts[label];
  } else {
    for (const float label : labels.to_vector<float>()) ++counts[static_cast<std::int32_t>(label)];
  }
  MajorityClass best{0, 0.0};
  std::int64_t best_count = -1;
  for (const auto& [label, count] : counts) {
    if (count > best_count) best = {label, static_cast<double>(count)}, best_count = count;
  }
  best.share = labels.numel() == 0 ? 0.0 : best.share / static_cast<double>(labels.numel());
  return best;
}

void keep_random_rows(Tensor& x, Tensor& y, std::int64_t count, std::uint64_t seed) {
  if (count <= 0 || count >= x.dim(0)) return;
  std::vector<std::int64_t> rows = shuffled_indices(x.dim(0), seed);
  rows.resize(static_cast<std::size_t>(count));
  x = take_rows(x, rows);
  y = take_rows(y, rows);
}

}  // namespace cuseq::examples
