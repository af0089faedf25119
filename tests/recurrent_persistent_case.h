// One recurrent problem (PersistentCase: cell, sizes, masks, dropout,
// initial states) and everything its forward and backward pass produce, for
// the tests that compare the persistent algorithm with the standard one:
// recurrent_persistent_test.cpp (CPU) and recurrent_persistent_gpu_test.cpp.
#pragma once

#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

#include "recurrent_reference.h"

namespace cuseq::testing {

struct PersistentCase {
  RecurrentCell cell = RecurrentCell::lstm;
  std::int64_t batch = 5, units = 33, steps = 7, features = 6;
  bool go_backwards = false, return_sequences = true;
  bool masks = true, dropout = true, initial_states = true;
};

// One problem on the CPU, moved to a device per run.
struct Problem {
  ops::RecurrentSpec spec;
  ops::RecurrentWeights weights;
  ops::RecurrentInputs inputs;
  Tensor d_output, d_h, d_c;
};

inline Tensor on(const Tensor& t, Device device) { return t.defined() ? t.to(device) : Tensor(); }

// Sample b keeps every step (b % 3 == 0), drops its last two (1) or its first two (2: left
// padding).
template <class T>
Tensor mixed_length_mask(std::int64_t batch, std::int64_t steps) {
  std::vector<T> mask(static_cast<std::size_t>(batch * steps), T(1));
  for (std::int64_t b = 0; b < batch; ++b) {
    for (std::int64_t t = 0; t < steps; ++t) {
      const bool padded = (b % 3 == 1 && t >= steps - 2) || (b % 3 == 2 && t < 2);
      if (padded) mask[static_cast<std::size_t>(b * steps + t)] = T(0);
    }
  }
  return Tensor::from_vector(mask, Shape{batch, steps});
}

template <class T>
Problem make_problem(const PersistentCase& c) {
  const DType dtype = std::is_same_v<T, float> ? DType::float32 : DType::float64;
  const std::int64_t width = recurrent_gate_count(c.cell) * c.units;
  // Weights ~ 1/sqrt(fan-in), so the gates stay out of saturation at H = 256.
  const double scale = 1.0 / std::sqrt(static_cast<double>(c.units));
  Problem p;
  p.spec.cell = c.cell;
  p.spec.recurrent_activation =
      c.cell == RecurrentCell::simple_rnn ? Activation::linear : Activation::sigmoid;
  p.spec.go_backwards = c.go_backwards;
  p.spec.return_sequences = c.return_sequences;
  p.weights = {random_tensor<T>({c.features, width}, 1, Device::cpu(), -0.5, 0.5),
               random_tensor<T>({c.units, width}, 2, Device::cpu(), -scale, scale),
               random_tensor<T>(c.cell == RecurrentCell::gru ? Shape{2, width} : Shape{width}, 3)};
  p.inputs.x = random_tensor<T>({c.batch, c.steps, c.features}, 4);
  if (c.initial_states) {
    p.inputs.initial_h = random_tensor<T>({c.batch, c.units}, 5);
    if (c.cell == RecurrentCell::lstm) p.inputs.initial_c = random_tensor<T>({c.batch, c.units}, 6);
  }
  if (c.masks) p.inputs.step_mask = mixed_length_mask<T>(c.batch, c.steps);
  if (c.dropout) {
    p.inputs.input_mask = Tensor::empty(Shape{c.batch, c.features}, dtype);
    p.inputs.recurrent_mask = Tensor::empty(Shape{c.batch, c.units}, dtype);
    ops::dropout_mask(0.25, {7, 1}, p.inputs.input_mask);
    ops::dropout_mask(0.25, {7, 2}, p.inputs.recurrent_mask);
  }
  const Shape output_shape =
      c.return_sequences ? Shape{c.batch, c.steps, c.units} : Shape{c.batch, c.units};
  p.d_output = random_tensor<T>(output_shape, 8);
  p.d_h = random_tensor<T>({c.batch, c.units}, 9);
  if (c.cell == RecurrentCell::lstm) p.d_c = random_tensor<T>({c.batch, c.units}, 10);
  return p;
}

// Everything a forward and backward pass produce, on the host, with names.
struct Outcome {
  std::vector<std::string> names;
  std::vector<std::vector<double>> values;
  std::size_t forward_count = 0;  // the first values come from the forward pass
  void add(const std::string& name, const Tensor& t) {
    if (!t.defined()) return;
    names.push_back(name);
    const Tensor host = t.to(Device::cpu());
    if (host.dtype() == DType::float64) {
      values.push_back(host.to_vector<double>());
    } else {
      const std::vector<float> single = host.to_vector<float>();
      values.emplace_back(single.begin(), single.end());
    }
  }
};

inline Outcome run(const Problem& problem, RecurrentAlgorithm algorithm, Device device) {
  ops::RecurrentSpec spec = problem.spec;
  spec.algorithm = algorithm;
  const ops::RecurrentWeights weights{on(problem.weights.kernel, device),
                                      on(problem.weights.recurrent_kernel, device),
                                      on(problem.weights.bias, device)};
  const ops::RecurrentInputs& in = problem.inputs;
  const ops::RecurrentInputs inputs{on(in.x, device),          on(in.initial_h, device),
                                    on(in.initial_c, device),  on(in.step_mask, device),
                                    on(in.input_mask, device), on(in.recurrent_mask, device)};
  const ops::RecurrentTape tape = ops::recurrent_forward(spec, weights, inputs);
  const DType dtype = in.x.dtype();
  ops::RecurrentWeights grads{Tensor::zeros(weights.kernel.shape(), dtype, device),
                              Tensor::zeros(weights.recurrent_kernel.shape(), dtype, device),
                              Tensor::zeros(weights.bias.shape(), dtype, device)};
  const ops::RecurrentInputGradients d =
      ops::recurrent_backward(spec, weights, tape, on(problem.d_output, device),
                              on(problem.d_h, device), on(problem.d_c, device), grads);
  Outcome outcome;
  outcome.add("output", tape.output);
  outcome.add("final h", tape.final_h);
  outcome.add("final c", tape.final_c);
  outcome.forward_count = outcome.values.size();
  outcome.add("d x", d.d_x);
  outcome.add("d initial h", d.d_initial_h);
  outcome.add("d initial c", d.d_initial_c);
  outcome.add("d kernel", grads.kernel);
  outcome.add("d recurrent_kernel", grads.recurrent_kernel);
  outcome.add("d bias", grads.bias);
  return outcome;
}

inline void expect_outcomes_near(const Outcome& actual, const Outcome& expected, double tolerance,
                                 const std::string& what) {
  ASSERT_EQ(actual.names, expected.names) << what;
  for (std::size_t i = 0; i < actual.values.size(); ++i) {
    expect_all_near(actual.values[i], expected.values[i], tolerance, what + ": " + actual.names[i]);
  }
}

inline std::string describe(const PersistentCase& c) {
  return recurrent_cell_name(c.cell) + " batch " + std::to_string(c.batch) + " units " +
         std::to_string(c.units) + " steps " + std::to_string(c.steps) +
         (c.go_backwards ? " go_backwards" : "") +
         (c.return_sequences ? " sequences" : " final only");
}

}  // namespace cuseq::testing
