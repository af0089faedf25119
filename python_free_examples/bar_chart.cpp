#include "bar_chart.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "cuseq/error.h"

namespace cuseq::examples {
namespace {

constexpr double kWidth = 760, kHeight = 420;
constexpr double kLeft = 70, kRight = 90, kTop = 40, kBottom = 110;
const char* const kColors[] = {"#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3"};

std::string escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

// A "nice" step (1, 2 or 5 times a power of ten) giving about five ticks up to `top`.
double tick_step(double top) {
  const double raw = top / 5.0;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 5.0}) {
    if (m * power >= raw) return m * power;
  }
  return 10.0 * power;
}

}  // namespace

void write_bar_chart_svg(const std::string& path, const BarChart& chart) {
  const char* where = "write_bar_chart_svg";
  double top = chart.reference_label.empty() ? 0.0 : chart.reference;
  for (const BarSeries& s : chart.series) {
    check(s.values.size() == chart.categories.size(), where, "series ", s.name, " has ",
          s.values.size(), " values for ", chart.categories.size(), " categories");
    for (const double v : s.values) top = std::max(top, v);
  }
  if (top <= 0) top = 1.0;
  const double step = tick_step(top * 1.1);
  top = std::ceil(top * 1.1 / step) * step;
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  auto y_of = [&](double v) { return kTop + plot_h * (1.0 - v / top); };

  std::ostringstream svg;
  svg << std::fixed << std::setprecision(2);
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kHeight
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << kWidth / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">"
      << escape(chart.title) << "</text>\n";
  for (double v = 0; v <= top + step / 2; v += step) {
    svg << "<line x1=\"" << kLeft << "\" x2=\"" << kWidth - kRight << "\" y1=\"" << y_of(v)
        << "\" y2=\"" << y_of(v) << "\" stroke=\"#ddd\"/>\n"
        << "<text x=\"" << kLeft - 6 << "\" y=\"" << y_of(v) + 4 << "\" text-anchor=\"end\">"
        << std::setprecision(step < 1 ? 2 : 0) << v << std::setprecision(2) << "</text>\n";
  }
  svg << "<text transform=\"translate(18," << kTop + plot_h / 2
      << ") rotate(-90)\" text-anchor=\"middle\">" << escape(chart.y_label) << "</text>\n";

  const double group_w =
      plot_w / static_cast<double>(std::max<std::size_t>(1, chart.categories.size()));
  const double bar_w =
      0.8 * group_w / static_cast<double>(std::max<std::size_t>(1, chart.series.size()));
  for (std::size_t c = 0; c < chart.categories.size(); ++c) {
    const double group_x = kLeft + group_w * static_cast<double>(c) + 0.1 * group_w;
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
      const double v = chart.series[s].values[c];
      svg << "<rect x=\"" << group_x + bar_w * static_cast<double>(s) << "\" y=\"" << y_of(v)
          << "\" width=\"" << bar_w * 0.95 << "\" height=\"" << kTop + plot_h - y_of(v)
          << "\" fill=\"" << kColors[s % 5] << "\"><title>" << escape(chart.series[s].name) << ": "
          << v << "</title></rect>\n";
    }
    const double label_x = kLeft + group_w * (static_cast<double>(c) + 0.5);
    svg << "<text transform=\"translate(" << label_x << "," << kTop + plot_h + 14
        << ") rotate(30)\">" << escape(chart.categories[c]) << "</text>\n";
  }
  svg << "<line x1=\"" << kLeft << "\" x2=\"" << kLeft << "\" y1=\"" << kTop << "\" y2=\""
      << kTop + plot_h << "\" stroke=\"black\"/>\n<line x1=\"" << kLeft << "\" x2=\""
      << kWidth - kRight << "\" y1=\"" << kTop + plot_h << "\" y2=\"" << kTop + plot_h
      << "\" stroke=\"black\"/>\n";
  double legend_x = kLeft;
  const double legend_y = kHeight - 16;
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    svg << "<rect x=\"" << legend_x << "\" y=\"" << legend_y - 10
        << "\" width=\"12\" height=\"12\" fill=\"" << kColors[s % 5] << "\"/><text x=\""
        << legend_x + 16 << "\" y=\"" << legend_y << "\">" << escape(chart.series[s].name)
        << "</text>\n";
    legend_x += 30 + 7.0 * static_cast<double>(chart.series[s].name.size());
  }
  if (!chart.reference_label.empty()) {
    const double y = y_of(chart.reference);
    svg << "<line x1=\"" << kLeft << "\" x2=\"" << kWidth - kRight << "\" y1=\"" << y << "\" y2=\""
        << y << "\" stroke=\"black\" stroke-dasharray=\"6,4\"/>\n"
        << "<line x1=\"" << legend_x << "\" x2=\"" << legend_x + 20 << "\" y1=\"" << legend_y - 4
        << "\" y2=\"" << legend_y - 4 << "\" stroke=\"black\" stroke-dasharray=\"6,4\"/><text x=\""
        << legend_x + 26 << "\" y=\"" << legend_y << "\">" << escape(chart.reference_label)
        << "</text>\n";
  }
  svg << "</svg>\n";
  std::ofstream out(path);
  out << svg.str();
  check(static_cast<bool>(out), where, "cannot write ", path);
}

}  // namespace cuseq::examples
