// Plain reference loops for the 1-D convolution and pooling tests, written
// from Keras' documented rules independently of the library's window math.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace cuseq::testing {

struct ConvCase {
  std::int64_t batch, steps, channels, filters, kernel_size, stride, dilation;
  std::string padding;
};

// Keras' conv_utils.conv_output_length.
inline std::int64_t keras_output_length(std::int64_t steps, std::int64_t size,
                                        const std::string& padding, std::int64_t stride,
                                        std::int64_t dilation) {
  const std::int64_t dilated = size + (size - 1) * (dilation - 1);
  const std::int64_t length = padding == "valid" ? steps - dilated + 1 : steps;
  return length <= 0 ? 0 : (length + stride - 1) / stride;
}

// TensorFlow's padding split: "same" puts the smaller half on the left;
// "causal" pads dilation * (size - 1) on the left only.
inline std::int64_t keras_pad_left(std::int64_t steps, std::int64_t size,
                                   const std::string& padding, std::int64_t stride,
                                   std::int64_t dilation) {
  const std::int64_t dilated = size + (size - 1) * (dilation - 1);
  if (padding == "causal") return dilated - 1;
  if (padding == "valid") return 0;
  const std::int64_t out = keras_output_length(steps, size, padding, stride, dilation);
  return std::max<std::int64_t>((out - 1) * stride + dilated - steps, 0) / 2;
}

// y[b, t, f] = bias[f] + sum_{k, c} x[b, t*s + k*d - pad, c] * w[k, c, f].
inline std::vector<double> reference_conv(const ConvCase& p, const std::vector<double>& x,
                                          const std::vector<double>& w,
                                          const std::vector<double>& bias) {
  const std::int64_t out =
      keras_output_length(p.steps, p.kernel_size, p.padding, p.stride, p.dilation);
  const std::int64_t pad = keras_pad_left(p.steps, p.kernel_size, p.padding, p.stride, p.dilation);
  std::vector<double> y(static_cast<std::size_t>(p.batch * out * p.filters));
  for (std::int64_t b = 0; b < p.batch; ++b)
    for (std::int64_t t = 0; t < out; ++t)
      for (std::int64_t f = 0; f < p.filters; ++f) {
        double sum = bias.empty() ? 0.0 : bias[f];
        for (std::int64_t k = 0; k < p.kernel_size; ++k) {
          const std::int64_t i = t * p.stride + k * p.dilation - pad;
          if (i < 0 || i >= p.steps) continue;
          for (std::int64_t c = 0; c < p.channels; ++c)
            sum += x[(b * p.steps + i) * p.channels + c] * w[(k * p.channels + c) * p.filters + f];
        }
        y[(b * out + t) * p.filters + f] = sum;
      }
  return y;
}

}  // namespace cuseq::testing
