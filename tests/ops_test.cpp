// cuseq::ops on the CPU against plain reference loops written here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "test_support.h"

namespace cuseq {
namespace {

using testing::expect_all_near;
using testing::expect_error_mentions;
using testing::random_tensor;

// c = op(a) @ op(b), row-major, by the textbook triple loop.
std::vector<double> reference_gemm(const std::vector<double>& a, bool ta,
                                   const std::vector<double>& b, bool tb, std::int64_t m,
                                   std::int64_t n, std::int64_t k) {
  std::vector<double> c(static_cast<std::size_t>(m * n), 0.0);
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t j = 0; j < n; ++j)
      for (std::int64_t p = 0; p < k; ++p) {
        const double av = ta ? a[p * m + i] : a[i * k + p];
        const double bv = tb ? b[j * k + p] : b[p * n + j];
        c[i * n + j] += av * bv;
      }
  return c;
}

template <class T>
class OpsTyped : public ::testing::Test {};
using FloatTypes = ::testing::Types<float, double>;
TYPED_TEST_SUITE(OpsTyped, FloatTypes);

TYPED_TEST(OpsTyped, GemmMatchesReferenceForEveryTransposeCombination) {
  using T = TypeParam;
  const std::int64_t m = 5, n = 7, k = 3;
  for (const bool ta : {false, true}) {
    for (const bool tb : {false, true}) {
      const Tensor a = random_tensor<T>(ta ? Shape{k, m} : Shape{m, k}, 1);
      const Tensor b = random_tensor<T>(tb ? Shape{n, k} : Shape{k, n}, 2);
      Tensor c = ops::matmul(a, b, ta, tb);
      const auto av = a.template to_vector<T>(), bv = b.template to_vector<T>();
      const auto expected =
          reference_gemm({av.begin(), av.end()}, ta, {bv.begin(), bv.end()}, tb, m, n, k);
      expect_all_near(c.template to_vector<T>(), expected, 1e-5, "gemm");
    }
  }
}

// Tall and wide shapes large enough for OpenBLAS' blocked kernels and for
// the CPU's split of C into one block per thread (by rows when tall, by
// columns when wide; the last two with a ragged last block), with beta.
TYPED_TEST(OpsTyped, LargeGemmMatchesReferenceForEveryTransposeCombination) {
  using T = TypeParam;
  struct Extents {
    std::int64_t m, n, k;
  };
  for (const Extents e :
       {Extents{96, 80, 300}, Extents{8, 512, 600}, Extents{7, 1000, 300}, Extents{1000, 9, 300}}) {
    for (const bool ta : {false, true}) {
      for (const bool tb : {false, true}) {
        const Tensor a = random_tensor<T>(ta ? Shape{e.k, e.m} : Shape{e.m, e.k}, 8);
        const Tensor b = random_tensor<T>(tb ? Shape{e.n, e.k} : Shape{e.k, e.n}, 9);
        Tensor c = random_tensor<T>({e.m, e.n}, 10);
        const auto c0 = c.template to_vector<T>();
        ops::gemm(a, ta, b, tb, c, 1.0, 0.5);
        const auto av = a.template to_vector<T>(), bv = b.template to_vector<T>();
        auto expected =
            reference_gemm({av.begin(), av.end()}, ta, {bv.begin(), bv.end()}, tb, e.m, e.n, e.k);
        for (std::size_t i = 0; i < expected.size(); ++i) expected[i] += 0.5 * c0[i];
        expect_all_near(
            c.template to_vector<T>(), expected, 1e-4,
            "m " + std::to_string(e.m) + " ta " + std::to_string(ta) + " tb " + std::to_string(tb));
      }
    }
  }
}

TYPED_TEST(OpsTyped, GemmAccumulatesWithAlphaAndBeta) {
  using T = TypeParam;
  const Tensor a = random_tensor<T>({2, 3}, 3), b = random_tensor<T>({3, 4}, 4);
  Tensor c = random_tensor<T>({2, 4}, 5);
  const auto c0 = c.template to_vector<T>();
  ops::gemm(a, false, b, false, c, 2.0, 0.5);
  const auto av = a.template to_vector<T>(), bv = b.template to_vector<T>();
  auto expected =
      reference_gemm({av.begin(), av.end()}, false, {bv.begin(), bv.end()}, false, 2, 4, 3);
  for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = 2.0 * expected[i] + 0.5 * c0[i];
  expect_all_near(c.template to_vector<T>(), expected, 1e-5);
}

TYPED_TEST(OpsTyped, ElementwiseOpsAndAxpby) {
  using T = TypeParam;
  const Tensor a = random_tensor<T>({3, 4}, 6), b = random_tensor<T>({3, 4}, 7);
  Tensor out = Tensor::empty({3, 4}, a.dtype());
  const auto av = a.template to_vector<T>(), bv = b.template to_vector<T>();
  std::vector<double> sum, difference, product, combination;
  for (std::size_t i = 0; i < av.size(); ++i) {
    sum.push_back(av[i] + bv[i]);
    difference.push_back(av[i] - bv[i]);
    product.push_back(av[i] * bv[i]);
    combination.push_back(0.5 * av[i] - 3.0 * bv[i]);
  }
  ops::add(a, b, out);
  expect_all_near(out.template to_vector<T>(), sum, 1e-6, "add");
  ops::subtract(a, b, out);
  expect_all_near(out.template to_vector<T>(), difference, 1e-6, "subtract");
  ops::multiply(a, b, out);
  expect_all_near(out.template to_vector<T>(), product, 1e-6, "multiply");
  ops::axpby(0.5, a, -3.0, b, out);
  expect_all_near(out.template to_vector<T>(), combination, 1e-6, "axpby");
}

TYPED_TEST(OpsTyped, BiasAddBroadcastsOverTheLastAxis) {
  using T = TypeParam;
  const Tensor x = random_tensor<T>({2, 3, 4}, 8), bias = random_tensor<T>({4}, 9);
  Tensor out = Tensor::empty(x.shape(), x.dtype());
  ops::bias_add(x, bias, out);
  const auto xv = x.template to_vector<T>(), bv = bias.template to_vector<T>();
  std::vector<double> expected;
  for (std::size_t i = 0; i < xv.size(); ++i) expected.push_back(xv[i] + bv[i % 4]);
  expect_all_near(out.template to_vector<T>(), expected, 1e-6);
}

TYPED_TEST(OpsTyped, PointwiseActivationsMatchTheirDefinitions) {
  using T = TypeParam;
  const Tensor x = random_tensor<T>({50}, 10, Device::cpu(), -6.0, 6.0);
  const auto xv = x.template to_vector<T>();
  const std::pair<Activation, double (*)(double)> cases[] = {
      {Activation::relu, [](double v) { return std::max(v, 0.0); }},
      {Activation::sigmoid, [](double v) { return 1.0 / (1.0 + std::exp(-v)); }},
      {Activation::tanh, [](double v) { return std::tanh(v); }},
      {Activation::linear, [](double v) { return v; }},
  };
  for (const auto& [activation, f] : cases) {
    Tensor y = Tensor::empty(x.shape(), x.dtype());
    ops::activation_forward(activation, x, y);
    std::vector<double> expected;
    for (const T v : xv) expected.push_back(f(v));
    expect_all_near(y.template to_vector<T>(), expected, 1e-6, activation_name(activation));
  }
}

TEST(Ops, SigmoidIsFiniteAtExtremes) {
  const Tensor x = Tensor::from_vector<float>({-1000.0f, 1000.0f}, {2});
  Tensor y = Tensor::empty({2});
  ops::activation_forward(Activation::sigmoid, x, y);
  const std::vector<float> values = y.to_vector<float>();
  EXPECT_GE(values[0], 0.0f);
  EXPECT_LT(values[0], 1e-37f);
  EXPECT_EQ(values[1], 1.0f);
}

// d/dx sum(w * f(x)) by central differences, in float64.
TEST(Ops, ActivationBackwardMatchesFiniteDifferences) {
  const Tensor x = random_tensor<double>({3, 5}, 11, Device::cpu(), -2.0, 2.0);
  const Tensor w = random_tensor<double>({3, 5}, 12);
  for (const Activation activation : {Activation::sigmoid, Activation::tanh, Activation::relu,
                                      Activation::softmax, Activation::linear}) {
    Tensor y = Tensor::empty(x.shape(), DType::float64),
           dx = Tensor::empty(x.shape(), DType::float64);
    ops::activation_forward(activation, x, y);
    ops::activation_backward(activation, y, w, dx);
    const auto analytic = dx.to_vector<double>();
    const auto loss = [&](const std::vector<double>& values) {
      Tensor xin = Tensor::from_vector<double>(values, x.shape()),
             yout = Tensor::empty(x.shape(), DType::float64);
      ops::activation_forward(activation, xin, yout);
      const auto yv = yout.to_vector<double>(), wv = w.to_vector<double>();
      double total = 0;
      for (std::size_t i = 0; i < yv.size(); ++i) total += yv[i] * wv[i];
      return total;
    };
    std::vector<double> values = x.to_vector<double>();
    const double h = 1e-6;
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double saved = values[i];
      values[i] = saved + h;
      const double up = loss(values);
      values[i] = saved - h;
      const double down = loss(values);
      values[i] = saved;
      EXPECT_NEAR(analytic[i], (up - down) / (2 * h), 1e-7)
          << activation_name(activation) << " " << i;
    }
  }
}

TEST(Ops, SoftmaxMatchesItsDefinitionAndIsStableForLargeInputs) {
  const std::vector<double> rows[] = {{1000, 1001, 1002}, {-5, 0, 5}};
  const Tensor x = Tensor::from_vector<float>({1000, 1001, 1002, -5, 0, 5}, {2, 3});
  Tensor y = Tensor::empty({2, 3});
  ops::activation_forward(Activation::softmax, x, y);
  std::vector<double> expected;
  for (const auto& row : rows) {
    // exp(v - max) keeps the reference finite too.
    const double largest = *std::max_element(row.begin(), row.end());
    double total = 0;
    for (const double v : row) total += std::exp(v - largest);
    for (const double v : row) expected.push_back(std::exp(v - largest) / total);
  }
  expect_all_near(y.to_vector<float>(), expected, 1e-6);
}

TYPED_TEST(OpsTyped, ReduceOverEveryAxisMatchesLoops) {
  using T = TypeParam;
  const Tensor x = random_tensor<T>({2, 3, 4}, 13);
  const auto xv = x.template to_vector<T>();
  const std::int64_t dims[3] = {2, 3, 4};
  for (int axis = 0; axis < 3; ++axis) {
    for (const Reduction reduction : {Reduction::sum, Reduction::mean, Reduction::max}) {
      const Tensor out = ops::reduce(reduction, x, axis);
      std::vector<double> expected;
      for (std::int64_t i = 0; i < 2; ++i)
        for (std::int64_t j = 0; j < 3; ++j)
          for (std::int64_t l = 0; l < 4; ++l) {
            const std::int64_t index[3] = {i, j, l};
            if (index[axis] != 0) continue;
            double acc = reduction == Reduction::max ? -INFINITY : 0.0;
            for (std::int64_t e = 0; e < dims[axis]; ++e) {
              std::int64_t at[3] = {i, j, l};
              at[axis] = e;
              const double v = xv[(at[0] * 3 + at[1]) * 4 + at[2]];
              acc = reduction == Reduction::max ? std::max(acc, v) : acc + v;
            }
            expected.push_back(reduction == Reduction::mean ? acc / dims[axis] : acc);
          }
      expect_all_near(out.template to_vector<T>(), expected, 1e-6, "axis " + std::to_string(axis));
    }
  }
}

// Wide enough for several column blocks, a partial last one and the threaded
// path of the CPU column reduction.
TYPED_TEST(OpsTyped, ReduceOverAMiddleAxisOfManyColumnsMatchesLoops) {
  using T = TypeParam;
  const std::int64_t outer = 3, extent = 40, inner = 700;
  const Tensor x = random_tensor<T>({outer, extent, inner}, 17);
  const auto xv = x.template to_vector<T>();
  for (const Reduction reduction : {Reduction::sum, Reduction::mean, Reduction::max}) {
    std::vector<double> expected;
    for (std::int64_t o = 0; o < outer; ++o)
      for (std::int64_t c = 0; c < inner; ++c) {
        double acc = reduction == Reduction::max ? -INFINITY : 0.0;
        for (std::int64_t e = 0; e < extent; ++e) {
          const double v = xv[(o * extent + e) * inner + c];
          acc = reduction == Reduction::max ? std::max(acc, v) : acc + v;
        }
        expected.push_back(reduction == Reduction::mean ? acc / extent : acc);
      }
    expect_all_near(ops::reduce(reduction, x, 1).template to_vector<T>(), expected, 1e-5,
                    "reduction " + std::to_string(static_cast<int>(reduction)));
  }
}

TEST(Ops, ReduceAllGivesAScalar) {
  const Tensor x = Tensor::from_vector<double>({1, 2, 3, 4}, {2, 2});
  const Tensor total = ops::reduce_all(Reduction::mean, x);
  EXPECT_EQ(total.rank(), 0);
  EXPECT_DOUBLE_EQ(total.item(), 2.5);
}

TEST(Ops, ArgmaxTakesTheFirstOfTiedMaxima) {
  const Tensor x = Tensor::from_vector<float>({1, 3, 3, 0, -1, -2, -1, -5}, {2, 4});
  EXPECT_EQ(ops::argmax(x).to_vector<std::int32_t>(), (std::vector<std::int32_t>{1, 0}));
}

TEST(Ops, SwapLeadingAxesMovesWholeInnerBlocks) {
  const Tensor x =
      Tensor::from_vector<std::int32_t>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, {2, 3, 2});
  const Tensor y = ops::swap_leading_axes(x);
  EXPECT_EQ(y.shape(), (Shape{3, 2, 2}));
  EXPECT_EQ(y.to_vector<std::int32_t>(),
            (std::vector<std::int32_t>{0, 1, 6, 7, 2, 3, 8, 9, 4, 5, 10, 11}));
}

TEST(Ops, FillSetsEveryElement) {
  Tensor t = Tensor::empty({5}, DType::int32);
  ops::fill(t, 7);
  EXPECT_EQ(t.to_vector<std::int32_t>(), std::vector<std::int32_t>(5, 7));
}

TEST(Ops, MismatchedArgumentsAreClearErrors) {
  const Tensor a = Tensor::zeros({2, 3}), b = Tensor::zeros({4, 2});
  expect_error_mentions([&] { ops::matmul(a, b); }, {"gemm", "inner extents", "[2, 3]", "[4, 2]"});
  Tensor out = Tensor::zeros({2, 3});
  expect_error_mentions(
      [&] {
        ops::add(a, Tensor::zeros({3, 2}), out);
      },
      {"add", "[2, 3]", "[3, 2]"});
  expect_error_mentions(
      [&] {
        ops::add(a, Tensor::zeros({2, 3}, DType::float64), out);
      },
      {"add", "float32", "float64"});
  expect_error_mentions([&] { ops::bias_add(a, Tensor::zeros({2}), out); },
                        {"bias_add", "[3]", "[2]"});
  expect_error_mentions([&] { ops::reduce(Reduction::sum, a, 2); }, {"reduce", "axis 2"});
  expect_error_mentions([] { activation_from_name("swish"); }, {"swish", "relu"});
}

}  // namespace
}  // namespace cuseq
