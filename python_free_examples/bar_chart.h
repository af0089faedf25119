// A grouped bar chart as a standalone SVG, for comparing models' errors
// (History::plot_svg draws training curves; this draws one number per model).
#pragma once

#include <string>
#include <vector>

namespace cuseq::examples {

struct BarSeries {
  std::string name;            // legend entry, e.g. "validation MAE"
  std::vector<double> values;  // one per category
};

struct BarChart {
  std::string title;
  std::string y_label;
  std::vector<std::string> categories;  // one group of bars each, e.g. model names
  std::vector<BarSeries> series;
  // A dashed horizontal line, e.g. the baseline's error (omitted when the label is empty).
  double reference = 0.0;
  std::string reference_label;
};

// Writes `chart` to `path` (cuseq::Error when the file cannot be written or a
// series does not have one value per category).
void write_bar_chart_svg(const std::string& path, const BarChart& chart);

}  // namespace cuseq::examples
