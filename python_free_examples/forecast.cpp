// Time-series forecasting as in the Keras book's Jena climate example (Deep
// Learning with Python, 6.3), on the hourly temperatures of Seattle in 2010
// (data/seattle-temps.csv): predict the temperature --delay hours ahead from
// the last --lookback hours. The file holds NOAA's hourly climate normals, a
// smooth curve on which the same hour one day earlier misses by 0.2 F: that
// seasonal-naive forecast is the baseline to beat. So the models learn the
// change over it (seasonal differencing): the target is temp(t + delay) -
// temp(t + delay - 24 h), a model that answers 0 is the baseline, and the
// forecast is the baseline plus the model's output. Features per hour: that
// 24-hour difference, the temperature and the hour of day (sine and cosine),
// normalized with the training rows' statistics.
// Chronological split: 60% train, 20% validation, 20% test.
// First the common-sense baselines (the last value; the value one day before
// the target), then Dense, GRU, GRU with dropout + recurrent_dropout, a stacked
// GRU and a bidirectional GRU. Prints the validation and test MAE of each in
// degrees F, names the best model (by validation MAE) and compares it with the
// best baseline; writes a bar chart of all of them and each model's training
// curves to --out.
#include <cmath>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>

#include "bar_chart.h"
#include "cuseq/cuseq.h"
#include "example_args.h"
#include "time_series.h"

namespace {

using namespace cuseq;
using examples::Windows;
using examples::WindowSpec;

constexpr double kPi = 3.14159265358979323846;
constexpr std::int64_t kDay = 24;  // hours: the seasonal-naive period

struct Split {
  Windows train, validation, test;
};

struct Score {
  std::string name;
  double validation_mae;  // degrees F
  double test_mae;
};

constexpr std::int64_t kFeatures = 4;

// Per hour t >= 24: the 24-hour difference (normalized by `change`, the target
// column 0), the temperature (normalized by `level`), sin and cos of the hour
// of day ("2010/01/01 13:00" -> 13). Hours before the first day are zeros.
std::vector<float> hourly_features(const examples::TimeSeries& series,
                                   const examples::Standardizer& change,
                                   const examples::Standardizer& level) {
  std::vector<float> features;
  for (std::size_t i = 0; i < series.values.size(); ++i) {
    if (i < static_cast<std::size_t>(kDay)) {
      features.insert(features.end(), kFeatures, 0.0f);
      continue;
    }
    const std::string& time = series.times[i];
    const double hour = time.size() >= 13 ? std::stod(time.substr(11, 2)) : 0.0;
    features.push_back(
        static_cast<float>(change.apply(series.values[i] - series.values[i - kDay])));
    features.push_back(static_cast<float>(level.apply(series.values[i])));
    features.push_back(static_cast<float>(std::sin(2 * kPi * hour / 24)));
    features.push_back(static_cast<float>(std::cos(2 * kPi * hour / 24)));
  }
  return features;
}

// Mean |prediction(t) - value(t + delay)| over the windows' last timesteps t.
double baseline_mae(const std::vector<double>& values, const Windows& windows, std::int64_t delay,
                    const std::function<double(std::int64_t)>& prediction) {
  double sum = 0.0;
  for (const std::int64_t t : windows.ends) sum += std::abs(prediction(t) - values[t + delay]);
  return sum / static_cast<double>(windows.ends.size());
}

struct Settings {
  int epochs;
  int batch_size;
  std::string out;
  Device device;
  double scale;  // the training rows' standard deviation: normalized MAE -> degrees F
};

// Trains on the training windows (rmsprop, MAE loss, as the book) and scores the
// last epoch's weights on the validation and test windows.
Score train_and_score(Sequential& model, const Split& data, const Settings& s) {
  const Shape input{data.train.x.dim(1), data.train.x.dim(2)};
  model.build(input, DType::float32, s.device);
  model.compile("rmsprop", "mae");
  model.summary(std::cout);
  FitOptions options;
  options.epochs = s.epochs;
  options.batch_size = s.batch_size;
  options.validation_x = data.validation.x;
  options.validation_y = data.validation.y;
  const History history = model.fit(data.train.x, data.train.y, options);
  const std::string curves = s.out + "/" + model.name();
  history.to_csv(curves + ".csv");
  history.plot_svg(curves + ".svg");
  const double validation =
      log_value(model.evaluate(data.validation.x, data.validation.y, 256), "loss");
  const double test = log_value(model.evaluate(data.test.x, data.test.y, 256), "loss");
  const Score score{model.name(), validation * s.scale, test * s.scale};
  std::cout << std::fixed << std::setprecision(2) << score.name << ": validation MAE "
            << score.validation_mae << " F, test MAE " << score.test_mae << " F; curves in "
            << curves << ".svg\n\n";
  return score;
}

RecurrentOptions gru_options(double dropout, double recurrent_dropout, bool return_sequences) {
  RecurrentOptions options;
  options.dropout = dropout;
  options.recurrent_dropout = recurrent_dropout;
  options.return_sequences = return_sequences;
  return options;
}

// The book's models, by the names --models takes.
Sequential make_model(const std::string& name) {
  Sequential model(name);
  if (name == "dense") {
    model.emplace<Flatten>();
    model.emplace<Dense>(32, "relu");
  } else if (name == "gru") {
    model.emplace<GRU>(32);
  } else if (name == "gru_dropout") {
    model.emplace<GRU>(32, gru_options(0.2, 0.2, false));
  } else if (name == "stacked_gru") {
    model.emplace<GRU>(32, gru_options(0.1, 0.5, true));
    model.emplace<GRU>(64, gru_options(0.1, 0.5, false));
  } else if (name == "bidirectional_gru") {
    model.emplace<Bidirectional>(std::make_unique<GRU>(32));
  } else {
    fail("forecast", "unknown model \"", name,
         "\" in --models (expected dense, gru, gru_dropout, stacked_gru or bidirectional_gru)");
  }
  model.emplace<Dense>(1);
  return model;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  for (std::string item; std::getline(stream, item, ',');) {
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

void print_row(const Score& score) {
  std::cout << "  " << std::left << std::setw(22) << score.name << std::right << std::setw(10)
            << score.validation_mae << std::setw(10) << score.test_mae << "\n";
}

}  // namespace

int main(int argc, char** argv) try {
  const examples::Args args(
      argc, argv,
      "usage: forecast [--data data/seattle-temps.csv] [--lookback 120] [--step 2] [--delay 12]\n"
      "  [--models dense,gru,gru_dropout,stacked_gru,bidirectional_gru] [--epochs 6] [--batch-size "
      "128]\n"
      "  [--train-windows N (0 = all)] [--out out/forecast] [--device cpu|cuda]");
  const WindowSpec spec{args.integer("lookback", 120), args.integer("step", 2),
                        args.integer("delay", 12)};
  check(spec.delay <= kDay, "forecast", "--delay must be at most ", kDay,
        " hours (the seasonal-naive baseline looks one day back from the target)");
  const std::string device = args.text("device", "");
  Settings settings{static_cast<int>(args.integer("epochs", 6)),
                    static_cast<int>(args.integer("batch-size", 128)),
                    args.text("out", "out/forecast"),
                    device.empty() ? default_device() : Device::parse(device), 1.0};
  std::filesystem::create_directories(settings.out);
  std::cout << "cuseq " << version() << " on " << settings.device.str() << "\n";

  const examples::TimeSeries series =
      examples::load_time_series(args.text("data", "data/seattle-temps.csv"), "date", "temp");
  const auto hours = static_cast<std::int64_t>(series.values.size());
  const std::int64_t train_end = hours * 6 / 10, validation_end = hours * 8 / 10;
  std::vector<double> changes(series.values.size(), 0.0);
  for (std::size_t i = kDay; i < changes.size(); ++i) {
    changes[i] = series.values[i] - series.values[i - kDay];
  }
  const examples::Standardizer change = examples::fit_standardizer(changes, kDay, train_end);
  const examples::Standardizer level = examples::fit_standardizer(series.values, 0, train_end);
  // The target is the normalized change: its MAE times change.std is the forecast's MAE in F.
  settings.scale = change.std;
  const std::vector<float> features = hourly_features(series, change, level);
  Split data{examples::make_windows(features, kFeatures, 0, kDay, train_end, spec),
             examples::make_windows(features, kFeatures, 0, train_end, validation_end, spec),
             examples::make_windows(features, kFeatures, 0, validation_end, hours, spec)};
  const std::int64_t train_windows = args.integer("train-windows", 0);
  if (train_windows > 0 && train_windows < data.train.x.dim(0)) {
    // The most recent windows: the closest in season to the validation rows.
    const std::int64_t skip = data.train.x.dim(0) - train_windows;
    data.train.x = data.train.x.slice(skip, data.train.x.dim(0));
    data.train.y = data.train.y.slice(skip, data.train.y.dim(0));
  }
  std::cout << hours << " hourly temperatures; " << data.train.x.dim(0) << " training, "
            << data.validation.x.dim(0) << " validation and " << data.test.x.dim(0)
            << " test windows of " << spec.steps() << " steps (every " << spec.step << " h over "
            << spec.lookback << " h), target " << spec.delay
            << " h after the last step; on the training rows the temperature has std " << std::fixed
            << std::setprecision(2) << level.std << " F, its change over 24 h std " << change.std
            << " F\n\n";

  const std::vector<double>& t = series.values;
  auto baseline = [&](const std::string& name, const std::function<double(std::int64_t)>& predict) {
    return Score{name, baseline_mae(t, data.validation, spec.delay, predict),
                 baseline_mae(t, data.test, spec.delay, predict)};
  };
  const Score last_value = baseline("last value", [&](std::int64_t i) { return t[i]; });
  const Score seasonal =
      baseline("seasonal naive 24 h", [&](std::int64_t i) { return t[i + spec.delay - kDay]; });
  const Score& best_baseline =
      last_value.validation_mae <= seasonal.validation_mae ? last_value : seasonal;

  std::vector<Score> models;
  for (const std::string& name :
       split_list(args.text("models", "dense,gru,gru_dropout,stacked_gru,bidirectional_gru"))) {
    Sequential model = make_model(name);
    models.push_back(train_and_score(model, data, settings));
  }

  std::cout << std::fixed << std::setprecision(2) << "MAE in degrees F" << std::setw(24)
            << "validation" << std::setw(10) << "test\n";
  print_row(last_value);
  print_row(seasonal);
  for (const Score& score : models) print_row(score);
  std::cout << "common-sense baseline: " << best_baseline.name << " (best on validation)\n";
  if (!models.empty()) {
    const Score* best = &models.front();
    for (const Score& score : models) {
      if (score.validation_mae < best->validation_mae) best = &score;
    }
    const double gain = 100.0 * (1.0 - best->test_mae / best_baseline.test_mae);
    std::cout << "best model on validation: " << best->name << ", test MAE " << best->test_mae
              << " F vs " << best_baseline.test_mae << " F for the baseline ("
              << std::setprecision(1) << std::abs(gain) << (gain >= 0 ? "% lower" : "% HIGHER")
              << ")\n";
  }

  examples::BarChart chart;
  chart.title =
      "Seattle temperature " + std::to_string(spec.delay) + " h ahead: mean absolute error";
  chart.y_label = "MAE (degrees F)";
  chart.series = {{"validation", {}}, {"test", {}}};
  // The weaker baseline stays in the table only: its bar would dwarf the rest.
  std::vector<Score> all = {best_baseline};
  all.insert(all.end(), models.begin(), models.end());
  for (const Score& score : all) {
    chart.categories.push_back(score.name);
    chart.series[0].values.push_back(score.validation_mae);
    chart.series[1].values.push_back(score.test_mae);
  }
  chart.reference = best_baseline.test_mae;
  chart.reference_label = "baseline (" + best_baseline.name + "), test";
  const std::string plot = settings.out + "/forecast_mae.svg";
  examples::write_bar_chart_svg(plot, chart);
  std::cout << "bar chart of all MAEs: " << plot << "\n";
  return 0;
} catch (const cuseq::Error& error) {
  std::cerr << "error: " << error.what() << "\n";
  return 1;
}
