// Optimizers against Keras' update formulas, computed by hand here over three
// steps, plus clipping and frozen layers.
#include <gtest/gtest.h>

#include <cmath>

#include "test_support.h"

namespace cuseq {
namespace {

// A parameter [2] with value w0 and a fixed gradient for every step.
struct Fixture {
  Parameter parameter;
  Fixture(std::vector<double> w0, std::vector<double> g) {
    parameter.name = "kernel";
    parameter.value = Tensor::from_vector<double>(w0, {2});
    parameter.grad = Tensor::from_vector<double>(g, {2});
  }
  std::vector<double> after(Optimizer& optimizer, int steps) {
    for (int i = 0; i < steps; ++i) optimizer.apply({&parameter});
    return parameter.value.to_vector<double>();
  }
};

const std::vector<double> kW0 = {1.0, -2.0};
const std::vector<double> kG = {0.5, -0.25};

TEST(Optimizers, KerasDefaults) {
  SGD sgd;
  EXPECT_EQ(sgd.learning_rate, 0.01);
  EXPECT_EQ(sgd.momentum, 0.0);
  EXPECT_FALSE(sgd.nesterov);
  RMSprop rmsprop;
  EXPECT_EQ(rmsprop.learning_rate, 0.001);
  EXPECT_EQ(rmsprop.rho, 0.9);
  EXPECT_EQ(rmsprop.epsilon, 1e-7);
  Adam adam;
  EXPECT_EQ(adam.learning_rate, 0.001);
  EXPECT_EQ(adam.beta_1, 0.9);
  EXPECT_EQ(adam.beta_2, 0.999);
  EXPECT_EQ(adam.epsilon, 1e-7);
  EXPECT_EQ(optimizer_from_name("RMSprop")->name(), "RMSprop");
}

TEST(Optimizers, PlainSgdSubtractsLearningRateTimesGradient) {
  Fixture f(kW0, kG);
  SGD sgd(0.1);
  // w3 = w0 - 3 * 0.1 * g
  testing::expect_all_near(f.after(sgd, 3), std::vector<double>{1.0 - 0.15, -2.0 + 0.075}, 1e-15);
}

TEST(Optimizers, SgdMomentumAndNesterovFollowKerasOverThreeSteps) {
  // v1 = -lr g, v2 = m v1 - lr g = -lr g (1 + m), v3 = -lr g (1 + m + m^2).
  const double lr = 0.1, m = 0.9;
  for (const bool nesterov : {false, true}) {
    Fixture f(kW0, kG);
    SGD sgd(lr, m, nesterov);
    std::vector<double> expected;
    for (int i = 0; i < 2; ++i) {
      const double g = kG[i];
      const double v1 = -lr * g, v2 = m * v1 - lr * g, v3 = m * v2 - lr * g;
      const double moves =
          nesterov ? (m * v1 - lr * g) + (m * v2 - lr * g) + (m * v3 - lr * g) : v1 + v2 + v3;
      expected.push_back(kW0[i] + moves);
    }
    testing::expect_all_near(f.after(sgd, 3), expected, 1e-14, nesterov ? "nesterov" : "momentum");
  }
}

TEST(Optimizers, RmspropFollowsKeras3OverThreeSteps) {
  const double lr = 0.01, rho = 0.9, eps = 1e-7;
  Fixture f(kW0, kG);
  RMSprop rmsprop(lr, rho);
  std::vector<double> expected;
  for (int i = 0; i < 2; ++i) {
    double w = kW0[i], ms = 0;
    for (int t = 0; t < 3; ++t) {
      ms = rho * ms + (1 - rho) * kG[i] * kG[i];
      w -= lr * kG[i] / std::sqrt(ms + eps);  // Keras 3: epsilon inside the root
    }
    expected.push_back(w);
  }
  testing::expect_all_near(f.after(rmsprop, 3), expected, 1e-14);
}

TEST(Optimizers, RmspropWithMomentumAndCenteredFollowsApplyRmsprop) {
  const double lr = 0.01, rho = 0.8, momentum = 0.5, eps = 1e-3;
  Fixture f(kW0, kG);
  RMSprop rmsprop(lr, rho, momentum, eps, true);
  std::vector<double> expected;
  for (int i = 0; i < 2; ++i) {
    double w = kW0[i], ms = 0, mg = 0, mom = 0;
    for (int t = 0; t < 3; ++t) {
      ms = rho * ms + (1 - rho) * kG[i] * kG[i];
      mg = rho * mg + (1 - rho) * kG[i];
      mom = momentum * mom + lr * kG[i] / std::sqrt(ms - mg * mg + eps);  // epsilon inside
      w -= mom;
    }
    expected.push_back(w);
  }
  testing::expect_all_near(f.after(rmsprop, 3), expected, 1e-13);
}

TEST(Optimizers, AdamFollowsKerasOverThreeSteps) {
  const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-7;
  for (const bool amsgrad : {false, true}) {
    // A gradient that shrinks makes amsgrad's max(vhat, v) differ from v.
    Fixture f(kW0, kG);
    Adam adam(lr, b1, b2, eps, amsgrad);
    std::vector<double> expected = kW0;
    std::vector<double> m(2, 0), v(2, 0), vhat(2, 0);
    for (int t = 1; t <= 3; ++t) {
      const double scale = t == 1 ? 1.0 : 0.1;
      std::vector<double> g = {kG[0] * scale, kG[1] * scale};
      f.parameter.grad.copy_from(Tensor::from_vector<double>(g, {2}));
      f.after(adam, 1);
      const double alpha = lr * std::sqrt(1 - std::pow(b2, t)) / (1 - std::pow(b1, t));
      for (int i = 0; i < 2; ++i) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        vhat[i] = std::max(vhat[i], v[i]);
        expected[i] -= alpha * m[i] / (std::sqrt(amsgrad ? vhat[i] : v[i]) + eps);
      }
    }
    testing::expect_all_near(f.parameter.value.to_vector<double>(), expected, 1e-14,
                             amsgrad ? "amsgrad" : "adam");
    EXPECT_EQ(adam.iterations(), 3);
  }
}

// The steps without clipping walk a branch-free (vectorized) body; a clip
// that never bites walks the general one: both must give the same bits.
TEST(Optimizers, UnclippedStepsMatchTheGeneralPathBitForBit) {
  const std::int64_t n = 100003;  // threads, full vectors and a remainder
  std::vector<float> w0(n), g(n);
  for (std::int64_t i = 0; i < n; ++i) {
    w0[i] = static_cast<float>(std::sin(0.37 * static_cast<double>(i)));
    g[i] = static_cast<float>(1e-3 * std::cos(1.3 * static_cast<double>(i)));
  }
  const auto after_three_steps = [&](Optimizer& optimizer) {
    Parameter parameter;
    parameter.name = "kernel";
    parameter.value = Tensor::from_vector<float>(w0, {n});
    parameter.grad = Tensor::from_vector<float>(g, {n});
    for (int step = 0; step < 3; ++step) optimizer.apply({&parameter});
    return parameter.value.to_vector<float>();
  };
  Adam adam, adam_general;
  adam_general.clipping.clipvalue = 1e30;
  EXPECT_EQ(after_three_steps(adam), after_three_steps(adam_general));
  RMSprop rmsprop, rmsprop_general;
  rmsprop_general.clipping.clipvalue = 1e30;
  EXPECT_EQ(after_three_steps(rmsprop), after_three_steps(rmsprop_general));
}

TEST(Optimizers, ClipnormScalesTheGradientToTheNorm) {
  // ||(3, 4)|| = 5 > clipnorm 1: the step uses (0.6, 0.8).
  Fixture f({0.0, 0.0}, {3.0, 4.0});
  SGD sgd(1.0);
  sgd.clipping.clipnorm = 1.0;
  testing::expect_all_near(f.after(sgd, 1), std::vector<double>{-0.6, -0.8}, 1e-15);
  // Below the norm the gradient is untouched.
  Fixture g({0.0, 0.0}, {0.3, 0.4});
  testing::expect_all_near(g.after(sgd, 1), std::vector<double>{-0.3, -0.4}, 1e-15);
}

TEST(Optimizers, ClipvalueClipsEachElementBeforeClipnorm) {
  // clipvalue 2 turns (3, -4) into (2, -2); its norm sqrt(8) > clipnorm 1.
  Fixture f({0.0, 0.0}, {3.0, -4.0});
  SGD sgd(1.0);
  sgd.clipping.clipvalue = 2.0;
  sgd.clipping.clipnorm = 1.0;
  const double n = std::sqrt(8.0);
  testing::expect_all_near(f.after(sgd, 1), std::vector<double>{-2.0 / n, 2.0 / n}, 1e-15);
  Fixture g({0.0, 0.0}, {3.0, -0.5});
  SGD only_value(1.0);
  only_value.clipping.clipvalue = 1.0;
  testing::expect_all_near(g.after(only_value, 1), std::vector<double>{-1.0, 0.5}, 1e-15);
}

TEST(Optimizers, StateRoundTripsThroughGetAndSetState) {
  Fixture f(kW0, kG);
  Adam adam;
  f.after(adam, 2);
  const NamedTensors state = adam.get_state({&f.parameter});
  ASSERT_EQ(state.size(), 3u);  // iterations, m, v
  EXPECT_EQ(state[1].first, "0/m");
  Fixture copy(f.parameter.value.to_vector<double>(), kG);
  Adam resumed;
  resumed.set_state({&copy.parameter}, state);
  EXPECT_EQ(resumed.iterations(), 2);
  EXPECT_EQ(copy.after(resumed, 1), f.after(adam, 1));
}

TEST(Optimizers, ConfigRoundTripsAndKeysItLacksKeepTheirValues) {
  Adam adam(0.01, 0.8, 0.99, 1e-6, true);
  adam.clipping.clipnorm = 2.5;
  const std::unique_ptr<Optimizer> copy = optimizer_from_config("adam", adam.config());
  EXPECT_EQ(copy->config(), adam.config());
  RMSprop rmsprop;
  rmsprop.set_config({{"rho", "0.5"}, {"centered", "true"}, {"clipvalue", "3"}});
  EXPECT_EQ(rmsprop.rho, 0.5);
  EXPECT_TRUE(rmsprop.centered);
  EXPECT_EQ(rmsprop.clipping.clipvalue, 3.0);
  EXPECT_EQ(rmsprop.momentum, 0.0);  // Keras' default, not named
  EXPECT_EQ(rmsprop.learning_rate, 0.001);
  SGD sgd;
  testing::expect_error_mentions(
      [&] {
        sgd.set_config({{"beta_1", "0.9"}});
      },
      {"SGD", "no hyperparameter", "beta_1"});
  testing::expect_error_mentions(
      [&] {
        sgd.set_config({{"momentum", "fast"}});
      },
      {"SGD", "momentum", "fast", "not a number"});
  testing::expect_error_mentions(
      [&] {
        sgd.set_config({{"nesterov", "yes"}});
      },
      {"SGD", "nesterov", "yes", "true or false"});
  testing::expect_error_mentions(
      [&] {
        sgd.set_config({{"momentum", "nan"}});
      },
      {"SGD", "momentum", "nan", "a finite number"});
}

TEST(Optimizers, MismatchedGradientIsAnError) {
  Parameter p;
  p.value = Tensor::zeros({3}, DType::float32);
  p.grad = Tensor::zeros({4}, DType::float32);
  Adam adam;
  testing::expect_error_mentions([&] { adam.apply({&p}); }, {"Adam", "grad", "[3]"});
}

}  // namespace
}  // namespace cuseq
