// Time-series forecasting as in the Keras book's Jena climate example (Deep
// Learning with Python, 6.3), on one of two series (--series):
//  - seattle (default): the hourly temperatures of Seattle in 2010
//    (data/seattle-temps.csv), --delay 12 hours ahead from the last --lookback
//    120 hours. The file holds NOAA's hourly climate normals, a smooth curve on
//    which the same hour one day earlier misses by 0.2 F: that seasonal-naive
//    forecast is the baseline to beat. So the models learn the change over it
//    (seasonal differencing): the target is temp(t + delay) - temp(t + delay -
//    24 h). Features also include the hour of day (sine and cosine).
//  - sunspots: the monthly mean sunspot numbers 1749-2013
//    (data/sunspot.month.csv), 1 month ahead from the last 36 months. Month to
//    month the number is noisy, and the last value is the baseline to beat (the
//    same month one 11-year solar cycle earlier is far worse: cycles vary in
//    length and height). The models learn the change over the last value:
//    value(t + delay) - value(t).
// Either way a model that answers 0 is that baseline, and the forecast is the
// baseline plus the model's output. Features per timestep: the change the
// target is made of, the level and the series' calendar features, normalized
// with the training rows' statistics.
// Chronological split: 60% train, 20% validation, 20% test.
// First the common-sense baselines (the last value; the seasonal-naive value),
// then Dense, GRU, GRU with dropout + recurrent_dropout, a stacked GRU and a
// bidirectional GRU. Prints the validation and test MAE of each in the series'
// unit, names the best model (by validation MAE) and compares it with the best
// baseline; writes a bar chart of all of them and each model's training curves
// to --out.
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

struct Split {
  Windows train, validation, test;
};

struct Score {
  std::string name;
  double validation_mae;  // in the series' unit
  double test_mae;
};

// What differs between the series; the windowing, training and reporting are shared.
struct SeriesDescription {
  std::string data, time_column, value_column;
  std::string title;      // "Seattle temperature"
  std::string unit;       // of the values and MAEs ("F"; empty: a bare number)
  std::string time_unit;  // of one row ("h", "months")
  WindowSpec defaults{};  // --lookback, --step, --delay
  int default_epochs = 6;
  std::int64_t season = 1;  // rows: the seasonal-naive baseline looks this far back
  std::string season_name;
  // True: the models learn the change over the seasonal-naive forecast; false:
  // over the last value.
  bool difference_over_season = false;
  // Extra features of a row from its time column (e.g. hour-of-day sine and cosine).
  std::size_t calendar_features = 0;
  std::function<std::vector<double>(const std::string& time)> calendar;
  // The target is the change over this many rows back.
  std::int64_t lag(const WindowSpec& spec) const {
    return difference_over_season ? season : spec.delay;
  }
  std::string in_unit() const { return unit.empty() ? "" : " " + unit; }
};

std::vector<double> hour_of_day(const std::string& time) {
  // "2010/01/01 13:00" -> 13.
  const double hour = time.size() >= 13 ? std::stod(time.substr(11, 2)) : 0.0;
  return {std::sin(2 * kPi * hour / 24), std::cos(2 * kPi * hour / 24)};
}

SeriesDescription describe_series(const std::string& name) {
  SeriesDescription d;
  if (name == "seattle") {
    d.data = "data/seattle-temps.csv";
    d.time_column = "date";
    d.value_column = "temp";
    d.title = "Seattle temperature";
    d.unit = "F";
    d.time_unit = "h";
    d.defaults = WindowSpec{120, 2, 12};
    d.default_epochs = 6;
    d.season = 24;
    d.season_name = "seasonal naive 24 h";
    d.difference_over_season = true;
    d.calendar_features = 2;
    d.calendar = hour_of_day;
    return d;
  }
  if (name == "sunspots") {
    d.data = "data/sunspot.month.csv";
    d.time_column = "time";
    d.value_column = "value";
    d.title = "Sunspot number";
    d.time_unit = "months";
    d.defaults = WindowSpec{36, 1, 1};
    d.default_epochs = 20;  // 1,738 training windows: an epoch takes a second or two
    d.season = 132;         // 11 years, the mean solar cycle
    d.season_name = "one solar cycle earlier";
    d.difference_over_season = false;
    // The solar cycle follows no calendar: no extra features.
    d.calendar_features = 0;
    d.calendar = [](const std::string&) { return std::vector<double>{}; };
    return d;
  }
  fail("forecast", "unknown series \"", name, "\" in --series (expected seattle or sunspots)");
}

// Per row i >= lag: the change over `lag` rows (normalized by `change`, the
// target column 0), the value (normalized by `level`) and the calendar
// features. Rows before the first lag are zeros.
std::vector<float> row_features(const SeriesDescription& description,
                                const examples::TimeSeries& series, std::int64_t lag,
                                const examples::Standardizer& change,
                                const examples::Standardizer& level) {
  const std::size_t feature_count = 2 + description.calendar_features;
  std::vector<float> features;
  for (std::size_t i = 0; i < series.values.size(); ++i) {
    if (i < static_cast<std::size_t>(lag)) {
      features.insert(features.end(), feature_count, 0.0f);
      continue;
    }
    features.push_back(static_cast<float>(change.apply(series.values[i] - series.values[i - lag])));
    features.push_back(static_cast<float>(level.apply(series.values[i])));
    for (const double value : description.calendar(series.times[i])) {
      features.push_back(static_cast<float>(value));
    }
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
  double scale;      // the training rows' standard deviation: normalized MAE -> the series' unit
  std::string unit;  // " F", or empty
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
  options.validation_data = {data.validation.x, data.validation.y};
  const History history = model.fit(data.train.x, data.train.y, options);
  const std::string curves = s.out + "/" + model.name();
  history.to_csv(curves + ".csv");
  history.plot_svg(curves + ".svg");
  const double validation =
      log_value(model.evaluate(data.validation.x, data.validation.y, 256), "loss");
  const double test = log_value(model.evaluate(data.test.x, data.test.y, 256), "loss");
  const Score score{model.name(), validation * s.scale, test * s.scale};
  std::cout << std::fixed << std::setprecision(2) << score.name << ": validation MAE "
            << score.validation_mae << s.unit << ", test MAE " << score.test_mae << s.unit
            << "; curves in " << curves << ".svg\n\n";
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
  std::cout << "  " << std::left << std::setw(26) << score.name << std::right << std::setw(10)
            << score.validation_mae << std::setw(10) << score.test_mae << "\n";
}

}  // namespace

int main(int argc, char** argv) try {
  const examples::Args args(
      argc, argv,
      "usage: forecast [--series seattle|sunspots] [--data data/seattle-temps.csv]\n"
      "  [--lookback 120] [--step 2] [--delay 12] (sunspots: 36 1 1, in months)\n"
      "  [--models dense,gru,gru_dropout,stacked_gru,bidirectional_gru] [--epochs 6 (sunspots: "
      "20)]\n"
      "  [--batch-size 128] [--train-windows N (0 = all)] [--out out/forecast] [--device "
      "cpu|cuda]");
  const SeriesDescription described = describe_series(args.text("series", "seattle"));
  const WindowSpec spec{args.integer("lookback", described.defaults.lookback),
                        args.integer("step", described.defaults.step),
                        args.integer("delay", described.defaults.delay)};
  const std::string& rows = described.time_unit;
  check(spec.delay <= described.season, "forecast", "--delay must be at most ", described.season,
        " ", rows, " (the seasonal-naive baseline looks one season back from the target)");
  const std::string device = args.text("device", "");
  Settings settings{static_cast<int>(args.integer("epochs", described.default_epochs)),
                    static_cast<int>(args.integer("batch-size", 128)),
                    args.text("out", "out/forecast"),
                    device.empty() ? default_device() : Device::parse(device),
                    1.0,
                    described.in_unit()};
  std::filesystem::create_directories(settings.out);
  std::cout << "cuseq " << version() << " on " << settings.device.str() << "\n";

  const examples::TimeSeries series = examples::load_time_series(
      args.text("data", described.data), described.time_column, described.value_column);
  const auto length = static_cast<std::int64_t>(series.values.size());
  const std::int64_t train_end = length * 6 / 10, validation_end = length * 8 / 10;
  const std::int64_t lag = described.lag(spec);
  std::vector<double> changes(series.values.size(), 0.0);
  for (std::size_t i = lag; i < changes.size(); ++i) {
    changes[i] = series.values[i] - series.values[i - lag];
  }
  const examples::Standardizer change = examples::fit_standardizer(changes, lag, train_end);
  const examples::Standardizer level = examples::fit_standardizer(series.values, 0, train_end);
  // The target is the normalized change: its MAE times change.std is the forecast's MAE.
  settings.scale = change.std;
  const std::vector<float> features = row_features(described, series, lag, change, level);
  const auto feature_count = static_cast<std::int64_t>(2 + described.calendar_features);
  // Training windows start one season in: every baseline has its rows.
  Split data{examples::make_windows(features, feature_count, 0, described.season, train_end, spec),
             examples::make_windows(features, feature_count, 0, train_end, validation_end, spec),
             examples::make_windows(features, feature_count, 0, validation_end, length, spec)};
  const std::int64_t train_windows = args.integer("train-windows", 0);
  if (train_windows > 0 && train_windows < data.train.x.dim(0)) {
    // The most recent windows: the closest in season to the validation rows.
    const std::int64_t skip = data.train.x.dim(0) - train_windows;
    data.train.x = data.train.x.slice(skip, data.train.x.dim(0));
    data.train.y = data.train.y.slice(skip, data.train.y.dim(0));
  }
  std::cout << described.title << ": " << length << " rows; " << data.train.x.dim(0)
            << " training, " << data.validation.x.dim(0) << " validation and " << data.test.x.dim(0)
            << " test windows of " << spec.steps() << " steps (every " << spec.step << " " << rows
            << " over " << spec.lookback << " " << rows << "), target " << spec.delay << " " << rows
            << " after the last step; on the training rows the value "
            << "has std " << std::fixed << std::setprecision(2) << level.std << settings.unit
            << ", its change over " << lag << " " << rows << " std " << change.std << settings.unit
            << "\n";
  std::cout << "the models learn the change over the "
            << (described.difference_over_season ? described.season_name : "last value")
            << " (a model that answers 0 is that baseline)\n\n";

  const std::vector<double>& t = series.values;
  auto baseline = [&](const std::string& name, const std::function<double(std::int64_t)>& predict) {
    return Score{name, baseline_mae(t, data.validation, spec.delay, predict),
                 baseline_mae(t, data.test, spec.delay, predict)};
  };
  const Score last_value = baseline("last value", [&](std::int64_t i) { return t[i]; });
  const Score seasonal = baseline(
      described.season_name, [&](std::int64_t i) { return t[i + spec.delay - described.season]; });
  const Score& best_baseline =
      last_value.validation_mae <= seasonal.validation_mae ? last_value : seasonal;

  std::vector<Score> models;
  for (const std::string& name :
       split_list(args.text("models", "dense,gru,gru_dropout,stacked_gru,bidirectional_gru"))) {
    Sequential model = make_model(name);
    models.push_back(train_and_score(model, data, settings));
  }

  std::cout << std::fixed << std::setprecision(2) << "MAE" << std::left << std::setw(25)
            << (settings.unit.empty() ? "" : " in" + settings.unit) << std::right << std::setw(10)
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
              << settings.unit << " vs " << best_baseline.test_mae << settings.unit
              << " for the baseline (" << std::setprecision(1) << std::abs(gain)
              << (gain >= 0 ? "% lower" : "% HIGHER") << ")\n";
    if (best->validation_mae >= best_baseline.validation_mae || gain <= 0) {
      std::cout << std::setprecision(2) << "no model beats the baseline: on validation "
                << best->validation_mae << settings.unit << " vs " << best_baseline.validation_mae
                << settings.unit << ", on test " << best->test_mae << settings.unit << " vs "
                << best_baseline.test_mae << settings.unit << "\n";
    }
  }

  examples::BarChart chart;
  chart.title = described.title + " " + std::to_string(spec.delay) + " " + rows +
                " ahead: mean absolute error";
  chart.y_label = settings.unit.empty() ? "MAE" : "MAE (" + described.unit + ")";
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
