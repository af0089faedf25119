// Test support for the recurrent layers: a naive reference written straight
// from Keras' cell equations (plain loops in double, nothing shared with the
// kernels) and a finite-difference gradient check in float64.
#pragma once

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "test_support.h"

namespace cuseq::testing {

inline double reference_activation(const std::string& name, double x) {
  if (name == "tanh") return std::tanh(x);
  if (name == "sigmoid") return 1.0 / (1.0 + std::exp(-x));
  if (name == "relu") return x > 0 ? x : 0.0;
  return x;
}

// Everything the reference needs; empty vectors mean "absent" (zeros / no mask / no dropout).
struct ReferenceRnn {
  std::string cell;  // "SimpleRNN", "LSTM", "GRU"
  int batch, steps, features, units;
  std::string activation = "tanh", recurrent_activation = "sigmoid";
  bool go_backwards = false, return_sequences = false;
  std::vector<double> kernel, recurrent_kernel, bias;  // Keras layouts
  std::vector<double> h0, c0, mask, input_mask, recurrent_mask;
};

struct ReferenceResult {
  std::vector<double> output, h, c;
};

inline ReferenceResult reference_forward(const ReferenceRnn& r, const std::vector<double>& x) {
  const int B = r.batch, T = r.steps, F = r.features, H = r.units;
  const int G = r.cell == "LSTM" ? 4 : (r.cell == "GRU" ? 3 : 1);
  auto act = [&](double v) { return reference_activation(r.activation, v); };
  auto rec = [&](double v) { return reference_activation(r.recurrent_activation, v); };
  ReferenceResult out;
  out.h = r.h0.empty() ? std::vector<double>(B * H, 0.0) : r.h0;
  out.c = r.c0.empty() ? std::vector<double>(B * H, 0.0) : r.c0;
  out.output.assign(r.return_sequences ? B * T * H : B * H, 0.0);
  for (int b = 0; b < B; ++b) {
    for (int k = 0; k < T; ++k) {
      const int t = r.go_backwards ? T - 1 - k : k;
      if (!r.mask.empty() && r.mask[b * T + t] == 0.0) continue;  // state kept, output 0
      std::vector<double> xin(F), hin(H), xw(G * H, 0.0), hr(G * H, 0.0);
      for (int f = 0; f < F; ++f) {
        xin[f] = x[(b * T + t) * F + f] * (r.input_mask.empty() ? 1.0 : r.input_mask[b * F + f]);
      }
      for (int j = 0; j < H; ++j) {
        hin[j] = out.h[b * H + j] * (r.recurrent_mask.empty() ? 1.0 : r.recurrent_mask[b * H + j]);
      }
      for (int n = 0; n < G * H; ++n) {
        for (int f = 0; f < F; ++f) xw[n] += xin[f] * r.kernel[f * G * H + n];
        for (int j = 0; j < H; ++j) hr[n] += hin[j] * r.recurrent_kernel[j * G * H + n];
        if (!r.bias.empty()) {
          xw[n] += r.bias[n];
          if (r.cell == "GRU") hr[n] += r.bias[G * H + n];  // GRU's recurrent bias row
        }
      }
      std::vector<double> h_new(H), c_new(H);
      for (int j = 0; j < H; ++j) {
        const double h_prev = out.h[b * H + j];
        if (r.cell == "LSTM") {
          const double i = rec(xw[j] + hr[j]), f = rec(xw[H + j] + hr[H + j]);
          const double g = act(xw[2 * H + j] + hr[2 * H + j]),
                       o = rec(xw[3 * H + j] + hr[3 * H + j]);
          c_new[j] = f * out.c[b * H + j] + i * g;
          h_new[j] = o * act(c_new[j]);
        } else if (r.cell == "GRU") {
          const double z = rec(xw[j] + hr[j]), rr = rec(xw[H + j] + hr[H + j]);
          const double hh = act(xw[2 * H + j] + rr * hr[2 * H + j]);
          h_new[j] = z * h_prev + (1 - z) * hh;
        } else {
          h_new[j] = act(xw[j] + hr[j]);
        }
      }
      for (int j = 0; j < H; ++j) {
        out.h[b * H + j] = h_new[j];
        if (r.cell == "LSTM") out.c[b * H + j] = c_new[j];
        if (r.return_sequences) out.output[(b * T + k) * H + j] = h_new[j];
      }
    }
  }
  if (!r.return_sequences) out.output = out.h;
  return out;
}

// dL/dv by central differences for every element of each tensor in `wrt`
// (float64 CPU tensors, perturbed in place), against `analytic` (host values
// in the same order). The loss must be a smooth function of them.
inline void expect_gradients_match(const std::function<double()>& loss,
                                   const std::vector<Tensor>& wrt,
                                   const std::vector<std::vector<double>>& analytic,
                                   const std::vector<std::string>& names, double tolerance = 1e-6) {
  const double eps = 1e-6;
  for (std::size_t n = 0; n < wrt.size(); ++n) {
    double* values = wrt[n].data<double>();
    ASSERT_EQ(static_cast<std::size_t>(wrt[n].numel()), analytic[n].size()) << names[n];
    for (std::int64_t i = 0; i < wrt[n].numel(); ++i) {
      const double saved = values[i];
      values[i] = saved + eps;
      const double up = loss();
      values[i] = saved - eps;
      const double down = loss();
      values[i] = saved;
      const double numeric = (up - down) / (2 * eps);
      ASSERT_NEAR(analytic[n][i], numeric, tolerance * (1 + std::fabs(numeric)))
          << names[n] << " element " << i;
    }
  }
}

inline double dot(const Tensor& a, const std::vector<double>& b) {
  const std::vector<double> values = a.to_vector<double>();
  double sum = 0;
  for (std::size_t i = 0; i < values.size(); ++i) sum += values[i] * b[i];
  return sum;
}

}  // namespace cuseq::testing

namespace cuseq::testing {

// One configuration of a recurrent layer to check: sizes, mask, initial
// states, training (dropout on); the options come with the layer.
struct RecurrentCase {
  int batch = 2, steps = 4, features = 3, units = 3;
  std::vector<double> mask;  // [batch * steps], or empty
  bool initial_state = false;
  bool training = false;
};

inline std::unique_ptr<Recurrent> make_recurrent(const std::string& cell, int units,
                                                 RecurrentOptions options) {
  if (cell == "LSTM") return std::make_unique<LSTM>(units, options);
  if (cell == "GRU") return std::make_unique<GRU>(units, options);
  return std::make_unique<SimpleRNN>(units, options);
}

// The dropout scales the layer must use, from Philox bits and the spec alone.
inline std::vector<double> expected_dropout_mask(double rate, Generator::Stream stream, int rows,
                                                 int columns) {
  std::vector<double> mask(static_cast<std::size_t>(rows * columns));
  const double threshold = std::ldexp(rate, 32);
  for (int i = 0; i < rows * columns; ++i) {
    mask[i] = philox_bits(stream.seed, stream.stream, static_cast<std::uint64_t>(i)) >= threshold
                  ? 1.0 / (1.0 - rate)
                  : 0.0;
  }
  return mask;
}

// A built float64 layer with random weights (bias too) and its reference twin.
struct RecurrentFixture {
  std::unique_ptr<Recurrent> layer;
  ReferenceRnn reference;
  Tensor x, mask;
  std::vector<Tensor> initial;
  ForwardContext context;

  RecurrentFixture(const std::string& cell, RecurrentOptions options, const RecurrentCase& c,
                   std::uint64_t seed = 11) {
    options.seed = 1234;
    layer = make_recurrent(cell, c.units, options);
    Generator generator(seed);
    layer->build(Shape{c.steps, c.features}, DType::float64, Device::cpu(), generator);
    std::vector<Tensor> weights = layer->get_weights();
    for (std::size_t i = 0; i < weights.size(); ++i) {
      weights[i] =
          random_tensor<double>(weights[i].shape(), seed + 100 + i, Device::cpu(), -0.8, 0.8);
    }
    layer->set_weights(weights);
    reference = ReferenceRnn{cell, c.batch, c.steps, c.features, c.units};
    reference.activation = options.activation;
    reference.recurrent_activation = options.recurrent_activation;
    reference.go_backwards = options.go_backwards;
    reference.return_sequences = options.return_sequences;
    reference.kernel = weights[0].to_vector<double>();
    reference.recurrent_kernel = weights[1].to_vector<double>();
    if (options.use_bias) reference.bias = weights[2].to_vector<double>();
    x = random_tensor<double>({c.batch, c.steps, c.features}, seed + 1);
    if (!c.mask.empty()) {
      mask = Tensor::from_vector(c.mask, Shape{c.batch, c.steps});
      reference.mask = c.mask;
      context.mask = mask;
    }
    if (c.initial_state) {
      for (int s = 0; s < (cell == "LSTM" ? 2 : 1); ++s) {
        initial.push_back(random_tensor<double>({c.batch, c.units}, seed + 2 + s));
      }
      reference.h0 = initial[0].to_vector<double>();
      if (initial.size() > 1) reference.c0 = initial[1].to_vector<double>();
    }
    context.training = c.training;
    if (c.training) {
      // Draw order: the input mask first, then the recurrent one (each only when its rate > 0).
      Generator masks(1234);
      if (options.dropout > 0) {
        reference.input_mask =
            expected_dropout_mask(options.dropout, masks.next_stream(), c.batch, c.features);
      }
      if (options.recurrent_dropout > 0) {
        reference.recurrent_mask =
            expected_dropout_mask(options.recurrent_dropout, masks.next_stream(), c.batch, c.units);
      }
    }
  }

  // The same masks at every call: the layer's dropout stream counter rewinds.
  RecurrentResult run() {
    layer->dropout_generator().set_counter(0);
    return layer->forward_with_state(x, context, initial);
  }
};

inline void expect_matches_reference(const std::string& cell, const RecurrentOptions& options,
                                     const RecurrentCase& c) {
  RecurrentFixture f(cell, options, c);
  const RecurrentResult result = f.run();
  const ReferenceResult expected = reference_forward(f.reference, f.x.to_vector<double>());
  expect_all_near(result.output.to_vector<double>(), expected.output, 1e-12, "output");
  expect_all_near(result.states[0].to_vector<double>(), expected.h, 1e-12, "state h");
  if (cell == "LSTM")
    expect_all_near(result.states[1].to_vector<double>(), expected.c, 1e-12, "state c");
}

// dL/d(input, weights, initial states) by backward_with_state against central
// differences, for L = <output, w> + <final states, v> with random w, v.
inline void expect_gradients_are_exact(const std::string& cell, const RecurrentOptions& options,
                                       const RecurrentCase& c) {
  RecurrentFixture f(cell, options, c);
  RecurrentResult first = f.run();
  const std::vector<double> w = random_values(first.output.numel(), 77);
  std::vector<std::vector<double>> v;
  std::vector<Tensor> d_states;
  for (std::size_t s = 0; s < first.states.size(); ++s) {
    v.push_back(random_values(first.states[s].numel(), 78 + s));
    d_states.push_back(Tensor::from_vector(v.back(), first.states[s].shape()));
  }
  auto loss = [&]() {
    const RecurrentResult r = f.run();
    double total = dot(r.output, w);
    for (std::size_t s = 0; s < r.states.size(); ++s) total += dot(r.states[s], v[s]);
    return total;
  };
  f.layer->zero_grad();
  const RecurrentGradients g =
      f.layer->backward_with_state(Tensor::from_vector(w, first.output.shape()), d_states);
  std::vector<Tensor> wrt{f.x};
  std::vector<std::vector<double>> analytic{g.input.to_vector<double>()};
  std::vector<std::string> names{"input"};
  for (Parameter* p : f.layer->parameters()) {
    wrt.push_back(p->value);
    analytic.push_back(p->grad.to_vector<double>());
    names.push_back(p->name);
  }
  for (std::size_t s = 0; s < f.initial.size(); ++s) {
    wrt.push_back(f.initial[s]);
    analytic.push_back(g.initial_states.at(s).to_vector<double>());
    names.push_back("initial state " + std::to_string(s));
  }
  expect_gradients_match(loss, wrt, analytic, names);
}

// The option variants every cell is checked under.
inline std::vector<std::pair<std::string, RecurrentOptions>> option_variants() {
  std::vector<std::pair<std::string, RecurrentOptions>> variants;
  RecurrentOptions o;
  variants.push_back({"defaults", o});
  o.return_sequences = true;
  variants.push_back({"return_sequences", o});
  o.go_backwards = true;
  variants.push_back({"go_backwards + return_sequences", o});
  RecurrentOptions no_bias;
  no_bias.use_bias = false;
  no_bias.activation = "relu";
  variants.push_back({"no bias, relu", no_bias});
  RecurrentOptions dropout;
  dropout.return_sequences = true;
  dropout.dropout = 0.3;
  dropout.recurrent_dropout = 0.4;
  variants.push_back({"dropout + recurrent_dropout", dropout});
  return variants;
}

inline std::vector<std::pair<std::string, RecurrentCase>> case_variants() {
  RecurrentCase plain;
  RecurrentCase masked;
  // Right padding, left padding and a hole in the middle.
  masked.mask = {1, 1, 1, 0, 0, 1, 0, 1};
  masked.initial_state = true;
  RecurrentCase training = masked;
  training.training = true;
  return {{"plain", plain}, {"masked + initial state", masked}, {"training", training}};
}

// Every option variant under every case.
template <class Check>
void for_each_variant(const Check& check) {
  for (const auto& [option_name, options] : option_variants()) {
    for (const auto& [case_name, c] : case_variants()) {
      SCOPED_TRACE(option_name + ", " + case_name);
      check(options, c);
    }
  }
}

}  // namespace cuseq::testing
