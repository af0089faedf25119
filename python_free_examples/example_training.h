// What the classification examples share once their data are tensors: the
// device and run settings from the command line, fit with a validation split,
// curves on disk, and a test score against the majority class.
#pragma once

#include <cstdint>
#include <string>

#include "cuseq/cuseq.h"
#include "example_args.h"

namespace cuseq::examples {

struct RunSettings {
  int epochs;
  int batch_size;
  std::string out;  // directory for <tag>.csv and <tag>.svg
  Device device;
};

// --epochs (default `epochs`), --batch-size (32), --out (default `out`, created)
// and --device (cpu|cuda; default: the GPU when one is usable).
RunSettings run_settings(const Args& args, int epochs, const std::string& out);

// Summary, fit (the last 20% of the training rows validate), curves to
// <out>/<tag>.{csv,svg}, evaluation on the test rows; prints and returns the
// test accuracy next to `majority` (the majority class' test accuracy).
double fit_and_report_accuracy(Sequential& model, const Tensor& train_x, const Tensor& train_y,
                               const Tensor& test_x, const Tensor& test_y,
                               const RunSettings& settings, const std::string& tag,
                               double majority);

}  // namespace cuseq::examples
