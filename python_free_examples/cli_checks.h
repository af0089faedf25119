// Command-line checks the tools share, on top of CLI11: numbers that must be
// finite and within bounds (CLI11's Range lets NaN through), and output paths
// checked before any work starts rather than after hours of it.
#pragma once

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>

namespace cuseq::examples {

// A real number in [low, high] (open at either end when asked); NaN never passes.
inline CLI::Validator finite_between(double low, double high, bool open_low = false,
                                     bool open_high = false) {
  std::ostringstream bounds;
  bounds << (open_low ? "(" : "[") << low << ", " << high << (open_high ? ")" : "]");
  const std::string description = bounds.str();
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(text, value)) return "\"" + text + "\" is not a number";
        const bool above = open_low ? value > low : value >= low;
        const bool below = open_high ? value < high : value <= high;
        if (std::isfinite(value) && above && below) return "";
        return "value " + text + " is not a finite number in " + description;
      },
      "NUMBER in " + description);
}

// A file path that can be created or replaced: its folder exists and is
// writable, and the path is not a folder itself.
inline CLI::Validator writable_file() {
  return CLI::Validator(
      [](std::string& path) -> std::string {
        namespace fs = std::filesystem;
        const fs::path parent = fs::path(path).parent_path();
        const std::string folder = parent.empty() ? "." : parent.string();
        std::error_code error;
        if (!fs::is_directory(folder, error))
          return "cannot write " + path + ": the folder " + folder + " does not exist";
        if (::access(folder.c_str(), W_OK) != 0)
          return "cannot write " + path + ": the folder " + folder + " is not writable";
        if (fs::is_directory(path, error)) return "cannot write " + path + ": it is a folder";
        return "";
      },
      "FILE (writable)");
}

// Parses the command line; on an error or --help prints CLI11's message and
// returns the exit status (0 for --help, 2 for a bad command line), else -1.
inline int parse_command_line(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
    return -1;
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  }
}

}  // namespace cuseq::examples
