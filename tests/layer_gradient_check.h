// Finite-difference gradient checks for layers, in float64: the loss is
// L = sum(forward(x) * probe) for a fixed random probe, so dL/d(output) = probe.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "test_support.h"

namespace cuseq::testing {

// Runs before every forward, e.g. to rewind a dropout layer's generator so
// that each evaluation sees the same mask.
using BeforeForward = std::function<void()>;

inline double probed_loss(Layer& layer, const Tensor& input, const Tensor& probe,
                          const ForwardContext& context, const BeforeForward& before) {
  if (before) before();
  const std::vector<double> out = layer.forward(input, context).to_vector<double>();
  const std::vector<double> weights = probe.to_vector<double>();
  double loss = 0;
  for (std::size_t i = 0; i < out.size(); ++i) loss += out[i] * weights[i];
  return loss;
}

// Central differences of L over each element of `values` (a float64 CPU tensor
// that the loss reads), perturbed in place.
inline std::vector<double> numeric_gradient(Tensor& values, const std::function<double()>& loss) {
  constexpr double kStep = 1e-6;
  std::vector<double> gradient;
  for (std::int64_t i = 0; i < values.numel(); ++i) {
    double& value = values.data<double>()[i];
    const double saved = value;
    value = saved + kStep;
    const double plus = loss();
    value = saved - kStep;
    const double minus = loss();
    value = saved;
    gradient.push_back((plus - minus) / (2 * kStep));
  }
  return gradient;
}

// Checks dL/dinput (when `input_has_gradient`) and every dL/dweight of a
// built float64 CPU layer against central differences.
inline void expect_gradients_match_finite_differences(Layer& layer, Tensor input,
                                                      const ForwardContext& context,
                                                      bool input_has_gradient,
                                                      const BeforeForward& before = {}) {
  if (before) before();
  const Tensor output = layer.forward(input, context);
  const Tensor probe = random_tensor<double>(output.shape(), 99);
  layer.zero_grad();
  const Tensor grad_input = layer.backward(probe);
  const auto loss = [&] { return probed_loss(layer, input, probe, context, before); };
  if (input_has_gradient) {
    ASSERT_TRUE(grad_input.defined());
    expect_all_near(grad_input.to_vector<double>(), numeric_gradient(input, loss), 1e-6,
                    layer.name() + " dL/dinput");
  }
  for (Parameter* parameter : layer.parameters()) {
    expect_all_near(parameter->grad.to_vector<double>(), numeric_gradient(parameter->value, loss),
                    1e-6, layer.name() + " dL/d" + parameter->name);
  }
}

}  // namespace cuseq::testing
