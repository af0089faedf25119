// History::plot_svg: training curves as a standalone SVG, no dependencies.
// One panel per quantity (loss, each metric), stacked vertically; epochs on
// the x axis counted from 1; train solid blue, validation dashed orange.
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>

#include "cuseq/error.h"
#include "cuseq/history.h"
#include "layers/io/atomic_file.h"

namespace cuseq {
namespace {

constexpr double kWidth = 640, kPanelHeight = 300;
constexpr double kLeft = 70, kRight = 20, kTop = 40, kBottom = 50;

// About `count` round tick values (1, 2 or 5 times a power of ten) covering [low, high].
std::vector<double> nice_ticks(double low, double high, int count) {
  if (high <= low) high = low + 1;
  const double raw = (high - low) / count;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double residual = raw / magnitude;
  const double step = magnitude * (residual > 5 ? 10 : residual > 2 ? 5 : residual > 1 ? 2 : 1);
  std::vector<double> ticks;
  for (double t = std::ceil(low / step) * step; t <= high + step * 1e-9; t += step)
    ticks.push_back(t);
  return ticks;
}

std::string number(double value) {
  std::ostringstream text;
  text << std::setprecision(4) << value;
  return text.str();
}

struct Panel {
  std::string title;
  const std::vector<double>* train = nullptr;
  const std::vector<double>* validation = nullptr;
};

void draw_panel(std::ostringstream& svg, const Panel& panel, double top, int epochs) {
  const double plot_w = kWidth - kLeft - kRight, plot_h = kPanelHeight - kTop - kBottom;
  const double y0 = top + kTop;
  // The range of the finite values; NaN and Inf (a diverged run) are left out of the plot.
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (const auto* series : {panel.train, panel.validation}) {
    if (!series) continue;
    for (const double v : *series) {
      if (std::isfinite(v)) low = std::min(low, v), high = std::max(high, v);
    }
  }
  if (low > high) low = 0, high = 1;  // nothing finite to show
  const std::vector<double> y_ticks = nice_ticks(low, high, 5);
  low = std::min(low, y_ticks.front());
  high = std::max(high, y_ticks.back());
  if (high <= low) high = low + 1;
  const double x_span = std::max(1, epochs - 1);
  auto x_of = [&](double epoch_index) { return kLeft + plot_w * epoch_index / x_span; };
  auto y_of = [&](double v) { return y0 + plot_h * (1 - (v - low) / (high - low)); };

  svg << "<text x=\"" << kWidth / 2 << "\" y=\"" << top + 24
      << "\" text-anchor=\"middle\" font-size=\"16\">" << panel.title << "</text>\n";
  svg << "<rect x=\"" << kLeft << "\" y=\"" << y0 << "\" width=\"" << plot_w << "\" height=\""
      << plot_h << "\" fill=\"none\" stroke=\"#333\"/>\n";
  for (const double t : y_ticks) {
    svg << "<line x1=\"" << kLeft - 5 << "\" x2=\"" << kLeft << "\" y1=\"" << y_of(t) << "\" y2=\""
        << y_of(t) << "\" stroke=\"#333\"/><text x=\"" << kLeft - 8 << "\" y=\"" << y_of(t) + 4
        << "\" text-anchor=\"end\" font-size=\"11\">" << number(t) << "</text>\n";
  }
  for (const double t : nice_ticks(1, std::max(2, epochs), 8)) {
    if (t != std::floor(t) || t > epochs) continue;
    const double x = x_of(t - 1);
    svg << "<line x1=\"" << x << "\" x2=\"" << x << "\" y1=\"" << y0 + plot_h << "\" y2=\""
        << y0 + plot_h + 5 << "\" stroke=\"#333\"/><text x=\"" << x << "\" y=\"" << y0 + plot_h + 18
        << "\" text-anchor=\"middle\" font-size=\"11\">" << t << "</text>\n";
  }
  svg << "<text x=\"" << kLeft + plot_w / 2 << "\" y=\"" << y0 + plot_h + 38
      << "\" text-anchor=\"middle\" font-size=\"12\">epoch</text>\n";

  struct Line {
    const std::vector<double>* values;
    const char* colour;
    const char* dash;
    std::string label;
  };
  const Line lines[] = {{panel.train, "#1f77b4", "", "train " + panel.title},
                        {panel.validation, "#ff7f0e", "6,4", "validation " + panel.title}};
  int legend_row = 0;
  for (const Line& line : lines) {
    if (!line.values) continue;
    // One polyline per run of finite values: a non-finite value breaks the line.
    const std::vector<double>& values = *line.values;
    for (std::size_t e = 0; e < values.size();) {
      if (!std::isfinite(values[e])) {
        ++e;
        continue;
      }
      svg << "<polyline fill=\"none\" stroke=\"" << line.colour << "\" stroke-width=\"2\""
          << (*line.dash ? std::string(" stroke-dasharray=\"") + line.dash + "\"" : "")
          << " points=\"";
      for (; e < values.size() && std::isfinite(values[e]); ++e) {
        svg << x_of(static_cast<double>(e)) << ',' << y_of(values[e]) << ' ';
      }
      svg << "\"/>\n";
    }
    const double ly = y0 + 14 + 16 * legend_row++;
    const double lx = kLeft + plot_w - 170;
    svg << "<line x1=\"" << lx << "\" x2=\"" << lx + 24 << "\" y1=\"" << ly << "\" y2=\"" << ly
        << "\" stroke=\"" << line.colour << "\" stroke-width=\"2\""
        << (*line.dash ? std::string(" stroke-dasharray=\"") + line.dash + "\"" : "")
        << "/><text x=\"" << lx + 30 << "\" y=\"" << ly + 4 << "\" font-size=\"11\">" << line.label
        << "</text>\n";
  }
}

}  // namespace

void History::plot_svg(const std::string& path) const {
  check(epochs_ > 0, "History", "plot_svg() needs at least one epoch");
  std::vector<Panel> panels;
  for (const std::string& key : keys_) {
    if (key.rfind("val_", 0) == 0) continue;
    Panel panel{key, &values_.at(key), nullptr};
    const auto validation = values_.find("val_" + key);
    if (validation != values_.end()) panel.validation = &validation->second;
    panels.push_back(panel);
  }
  std::ostringstream svg;
  svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
         "width=\""
      << kWidth << "\" height=\"" << kPanelHeight * static_cast<double>(panels.size())
      << "\" font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  for (std::size_t i = 0; i < panels.size(); ++i) {
    draw_panel(svg, panels[i], kPanelHeight * static_cast<double>(i), epochs_);
  }
  svg << "</svg>\n";
  detail::write_file_atomically(path, svg.str());
}

}  // namespace cuseq
