// RecurrentStack, and Sequential and LanguageModel running their recurrent
// layers through it: the same outputs, states and gradients as the layers run
// one by one. Explicit chunk sizes exercise the wavefront on the CPU (whose
// automatic chunk is the whole sequence).
#include <gtest/gtest.h>

#include "test_support.h"

namespace cuseq {
namespace {

using testing::expect_all_near;
using testing::random_tensor;

constexpr double kTolerance = 1e-11;

// LSTM(5) -> GRU(4) -> LSTM(3), every layer with dropout, float64, built for [9, 4] inputs.
std::vector<std::unique_ptr<Recurrent>> make_layers(bool last_returns_sequences = true,
                                                    bool stateful = false) {
  std::vector<std::unique_ptr<Recurrent>> layers;
  RecurrentOptions options;
  options.return_sequences = true;
  options.dropout = 0.2;
  options.recurrent_dropout = 0.3;
  options.stateful = stateful;
  options.seed = 7;
  layers.push_back(std::make_unique<LSTM>(5, options));
  options.seed = 8;
  layers.push_back(std::make_unique<GRU>(4, options));
  options.seed = 9;
  options.return_sequences = last_returns_sequences;
  layers.push_back(std::make_unique<LSTM>(3, options));
  Generator generator(3);
  std::int64_t features = 4;
  for (auto& layer : layers) {
    layer->build(Shape{9, features}, DType::float64, Device::cpu(), generator);
    features = layer->units();
  }
  return layers;
}

std::vector<Recurrent*> pointers(const std::vector<std::unique_ptr<Recurrent>>& layers) {
  std::vector<Recurrent*> result;
  for (const auto& layer : layers) result.push_back(layer.get());
  return result;
}

ForwardContext training_with_mask() {
  ForwardContext context;
  context.training = true;
  std::vector<double> mask(2 * 9, 1.0);
  for (int t = 6; t < 9; ++t) mask[t] = 0.0;      // a shorter sample
  for (int t = 0; t < 2; ++t) mask[9 + t] = 0.0;  // left padding
  context.mask = Tensor::from_vector(mask, Shape{2, 9});
  return context;
}

void expect_same(const Tensor& actual, const Tensor& expected, const std::string& what) {
  ASSERT_EQ(actual.shape(), expected.shape()) << what;
  expect_all_near(actual.to_vector<double>(), expected.to_vector<double>(), kTolerance, what);
}

void expect_same_grads(const std::vector<std::unique_ptr<Recurrent>>& actual,
                       const std::vector<std::unique_ptr<Recurrent>>& expected) {
  for (std::size_t l = 0; l < expected.size(); ++l) {
    const auto a = actual[l]->parameters();
    const auto e = expected[l]->parameters();
    for (std::size_t p = 0; p < e.size(); ++p) {
      expect_same(a[p]->grad, e[p]->grad, expected[l]->name() + " d" + e[p]->name);
    }
  }
}

std::vector<std::vector<Tensor>> random_states(
    const std::vector<std::unique_ptr<Recurrent>>& layers, std::uint64_t seed) {
  std::vector<std::vector<Tensor>> states;
  for (const auto& layer : layers) {
    states.push_back({random_tensor<double>({2, layer->units()}, ++seed)});
    if (layer->cell() == RecurrentCell::lstm) {
      states.back().push_back(random_tensor<double>({2, layer->units()}, ++seed));
    }
  }
  return states;
}

class RecurrentStackChunks : public ::testing::TestWithParam<std::int64_t> {};

TEST_P(RecurrentStackChunks, ForwardAndBackwardMatchTheLayersOneByOne) {
  for (const bool sequences : {true, false}) {
    auto alone = make_layers(sequences), stacked = make_layers(sequences);
    const Tensor x = random_tensor<double>({2, 9, 4}, 1);
    const ForwardContext context = training_with_mask();
    const auto initial = random_states(alone, 10), d_final = random_states(alone, 20);

    Tensor expected = x;
    std::vector<RecurrentResult> results;
    for (std::size_t l = 0; l < alone.size(); ++l) {
      results.push_back(alone[l]->forward_with_state(expected, context, initial[l]));
      expected = results.back().output;
    }
    RecurrentStack stack(pointers(stacked), GetParam());
    const RecurrentStackResult got = stack.forward(x, context, initial);
    expect_same(got.output, expected, "output");
    for (std::size_t l = 0; l < alone.size(); ++l) {
      for (std::size_t s = 0; s < results[l].states.size(); ++s) {
        expect_same(got.states[l][s], results[l].states[s], "final state");
      }
    }

    const Tensor d_output = random_tensor<double>(expected.shape(), 2);
    Tensor d = d_output;
    std::vector<RecurrentGradients> grads(alone.size());
    for (std::size_t l = alone.size(); l-- > 0;) {
      grads[l] = alone[l]->backward_with_state(d, d_final[l]);
      d = grads[l].input;
    }
    const RecurrentStackGradients g = stack.backward(d_output, d_final);
    expect_same(g.input, d, "d input");
    for (std::size_t l = 0; l < alone.size(); ++l) {
      for (std::size_t s = 0; s < grads[l].initial_states.size(); ++s) {
        expect_same(g.initial_states[l][s], grads[l].initial_states[s], "d initial state");
      }
    }
    expect_same_grads(stacked, alone);
  }
}

// 2 and 4 do not divide the 9 steps.
INSTANTIATE_TEST_SUITE_P(ChunkSteps, RecurrentStackChunks, ::testing::Values(2, 4, 9));

TEST(RecurrentStack, EachLayerCanRunItsBackwardAloneAfterAStackedForward) {
  auto alone = make_layers(), stacked = make_layers();
  const Tensor x = random_tensor<double>({2, 9, 4}, 1);
  const ForwardContext context = training_with_mask();
  Tensor expected = x;
  for (auto& layer : alone) expected = layer->forward(expected, context);
  RecurrentStack stack(pointers(stacked), 4);
  stack.forward(x, context);
  EXPECT_EQ(stacked[0]->chunk_steps(), 4);  // its tape: the stack's chunks of 4 of the 9 steps
  Tensor d_alone = random_tensor<double>(expected.shape(), 2), d_stacked = d_alone;
  for (std::size_t l = alone.size(); l-- > 0;) {
    d_alone = alone[l]->backward(d_alone);
    d_stacked = stacked[l]->backward(d_stacked);
  }
  expect_same(d_stacked, d_alone, "d input");
  expect_same_grads(stacked, alone);
}

// A gradient all-reduce starts on a layer as soon as it is done: the stack
// reports the top layer first, its gradients then already final, while every
// layer below still has backward work to come (with chunks as without).
TEST(RecurrentStack, ReportsEachLayerDoneWhileTheLayersBelowStillRun) {
  const auto grads_of = [](Recurrent& layer) {
    std::vector<double> values;
    for (const Parameter* p : layer.parameters()) {
      const std::vector<double> g = p->grad.to_vector<double>();
      values.insert(values.end(), g.begin(), g.end());
    }
    return values;
  };
  for (const std::int64_t chunk_steps : {3, 9}) {
    auto layers = make_layers();
    RecurrentStack stack(pointers(layers), chunk_steps);
    const Tensor x = random_tensor<double>({2, 9, 4}, 1);
    const Tensor y = stack.forward(x, training_with_mask()).output;
    std::vector<std::size_t> reported;
    // snapshots[i][j]: layer j's gradients when layer i was reported.
    std::vector<std::vector<std::vector<double>>> snapshots;
    stack.backward(random_tensor<double>(y.shape(), 2), {}, [&](Recurrent& done) {
      std::size_t index = 0;
      while (layers[index].get() != &done) ++index;
      reported.push_back(index);
      snapshots.emplace_back();
      for (auto& layer : layers) snapshots.back().push_back(grads_of(*layer));
    });
    ASSERT_EQ(reported, (std::vector<std::size_t>{2, 1, 0})) << "chunks of " << chunk_steps;
    for (std::size_t r = 0; r < reported.size(); ++r) {
      const std::size_t index = reported[r];
      EXPECT_EQ(snapshots[r][index], grads_of(*layers[index]))
          << "layer " << index << " reported before its gradients were final, chunks of "
          << chunk_steps;
      for (std::size_t below = 0; below < index; ++below) {
        EXPECT_NE(snapshots[r][below], grads_of(*layers[below]))
            << "layer " << below << " had finished before layer " << index
            << " was reported, chunks of " << chunk_steps;
      }
    }
  }
}

TEST(RecurrentStack, StatefulLayersCarryTheirStatesAcrossStackedForwards) {
  auto alone = make_layers(true, true), stacked = make_layers(true, true);
  RecurrentStack stack(pointers(stacked), 2);
  ForwardContext context;
  for (std::uint64_t batch = 0; batch < 2; ++batch) {
    const Tensor x = random_tensor<double>({2, 9, 4}, 30 + batch);
    Tensor expected = x;
    for (auto& layer : alone) expected = layer->forward(expected, context);
    expect_same(stack.forward(x, context).output, expected,
                "output of batch " + std::to_string(batch));
  }
}

TEST(RecurrentStack, RejectsAnUpperLayerGoingBackwards) {
  RecurrentOptions below;
  below.return_sequences = true;
  RecurrentOptions backwards;
  backwards.go_backwards = true;
  below.name = "first";
  backwards.name = "second";
  LSTM first(4, below);
  GRU second(4, backwards);
  testing::expect_error_mentions(
      [&] {
        RecurrentStack({&first, &second});
      },
      {"second cannot follow first", "no go_backwards above"});
}

// Embedding(mask_zero) -> LSTM -> LSTM -> GRU -> Dense in float64.
Sequential make_model(bool stacked) {
  Sequential model("model", 11);
  model.emplace<Embedding>(10, 4, EmbeddingOptions{std::nullopt, true, {}, ""});
  RecurrentOptions options;
  options.return_sequences = true;
  options.dropout = 0.2;
  options.recurrent_dropout = 0.2;
  options.seed = 1;
  model.emplace<LSTM>(6, options);
  options.seed = 2;
  model.emplace<LSTM>(5, options);
  options.seed = 3;
  options.return_sequences = false;
  model.emplace<GRU>(4, options);
  model.emplace<Dense>(1);
  model.build(Shape{8}, DType::float64, Device::cpu());
  model.stack_recurrent_layers = stacked;
  model.recurrent_chunk_steps = 3;
  model.compile(std::make_unique<SGD>(0.5), loss_from_name("mse"));
  return model;
}

TEST(SequentialRecurrentStack, FitsAndPredictsLikeTheLayersOneByOne) {
  Sequential alone = make_model(false), stacked = make_model(true);
  stacked.set_weights(alone.get_weights());
  std::vector<std::int32_t> ids;
  for (const double v : testing::random_values(6 * 8, 5, 1.0, 10.0)) {
    ids.push_back(static_cast<std::int32_t>(v));
  }
  for (int i = 0; i < 3; ++i) ids[static_cast<std::size_t>(i)] = 0;  // left padding in row 0
  const Tensor x = Tensor::from_vector(ids, Shape{6, 8});
  const Tensor y = random_tensor<double>({6, 1}, 6);
  FitOptions options;
  options.batch_size = 6;
  options.shuffle = false;
  options.verbose = 0;
  alone.fit(x, y, options);
  stacked.fit(x, y, options);
  // The stack ran: the first LSTM's tape is three chunks of 3 steps.
  EXPECT_EQ(dynamic_cast<Recurrent&>(stacked.layer(1)).chunk_steps(), 3);
  EXPECT_EQ(dynamic_cast<Recurrent&>(alone.layer(1)).chunk_steps(), 8);
  const auto expected = alone.get_weights(), got = stacked.get_weights();
  for (std::size_t l = 0; l < expected.size(); ++l) {
    for (std::size_t w = 0; w < expected[l].size(); ++w) {
      expect_same(
          got[l][w], expected[l][w],
          "weight " + std::to_string(w) + " of layer " + std::to_string(l) + " after one step");
    }
  }
  expect_same(stacked.predict(x), alone.predict(x), "predictions");
}

TEST(LanguageModelRecurrentStack, LogitsStatesAndGradientsMatchTheLayersOneByOne) {
  LanguageModelConfig config;
  config.vocab_size = 7;
  config.embedding_dim = 5;
  config.units = 6;
  config.layers = 3;
  config.dropout = 0.2;
  config.recurrent_dropout = 0.2;
  LanguageModel alone(config, Device::cpu()), stacked(config, Device::cpu());
  alone.model().stack_recurrent_layers = false;
  stacked.model().recurrent_chunk_steps = 2;
  stacked.model().set_weights(alone.model().get_weights());
  std::vector<std::int32_t> ids;
  for (const double v : testing::random_values(2 * 5, 8, 0.0, 7.0)) {
    ids.push_back(static_cast<std::int32_t>(v));
  }
  const Tensor x = Tensor::from_vector(ids, Shape{2, 5});
  RecurrentStates states_alone, states_stacked;
  const Tensor expected = alone.forward(x, true, states_alone);
  const Tensor got = stacked.forward(x, true, states_stacked);
  EXPECT_EQ(stacked.lstms()[0]->chunk_steps(), 2);
  expect_all_near(got.to_vector<float>(), expected.to_vector<float>(), 1e-5, "logits");
  for (std::size_t l = 0; l < states_alone.size(); ++l) {
    for (std::size_t s = 0; s < 2; ++s) {
      expect_all_near(states_stacked[l][s].to_vector<float>(),
                      states_alone[l][s].to_vector<float>(), 1e-5, "state");
    }
  }
  const Tensor d_logits = random_tensor<float>(expected.shape(), 9);
  for (std::size_t i = 0; i < alone.model().size(); ++i) {
    alone.model().layer(i).zero_grad();
    stacked.model().layer(i).zero_grad();
  }
  std::vector<std::string> done;
  alone.backward(d_logits);
  stacked.backward(d_logits, [&](Layer& layer) { done.push_back(layer.name()); });
  EXPECT_EQ(done, (std::vector<std::string>{"logits", "lstm_2", "lstm_1", "lstm_0", "embedding"}));
  for (std::size_t i = 0; i < alone.model().size(); ++i) {
    const auto a = stacked.model().layer(i).parameters();
    const auto e = alone.model().layer(i).parameters();
    for (std::size_t p = 0; p < e.size(); ++p) {
      expect_all_near(a[p]->grad.to_vector<float>(), e[p]->grad.to_vector<float>(), 1e-5,
                      e[p]->name);
    }
  }
}

}  // namespace
}  // namespace cuseq
