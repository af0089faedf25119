#include "example_training.h"

#include <filesystem>
#include <iomanip>
#include <iostream>

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

}  // namespace cuseq::examples
