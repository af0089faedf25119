// ops::conv1d_* on the CPU against reference loops, over every padding,
// stride and dilation on small sizes.
#include <gtest/gtest.h>

#include "conv_reference.h"
#include "test_support.h"

namespace cuseq {
namespace {

using testing::ConvCase;
using testing::expect_all_near;
using testing::expect_error_mentions;
using testing::random_tensor;

std::vector<ConvCase> every_small_case() {
  std::vector<ConvCase> cases;
  for (const std::string padding : {"valid", "same", "causal"})
    for (const std::int64_t stride : {1, 2, 3})
      for (const std::int64_t dilation : {1, 2})
        for (const std::int64_t kernel_size : {1, 3, 4})
          for (const std::int64_t steps : {7, 8}) {
            cases.push_back(ConvCase{2, steps, 3, 5, kernel_size, stride, dilation, padding});
          }
  return cases;
}

Window1d window_of(const ConvCase& p) {
  return Window1d{p.steps, p.kernel_size, p.stride, p.dilation,
                  padding_from_name(p.padding, "test")};
}

std::string describe(const ConvCase& p) {
  return p.padding + " k" + std::to_string(p.kernel_size) + " s" + std::to_string(p.stride) + " d" +
         std::to_string(p.dilation) + " steps " + std::to_string(p.steps);
}

std::vector<double> as_doubles(const Tensor& t) { return t.to_vector<double>(); }

// A float32 or float64 tensor's values as doubles.
template <class T>
std::vector<double> widened(const Tensor& t) {
  const std::vector<T> values = t.to_vector<T>();
  return {values.begin(), values.end()};
}

TEST(ConvOps, WindowFollowsKerasOutputLengthAndPadSplit) {
  for (const ConvCase& p : every_small_case()) {
    const Window1d w = window_of(p);
    EXPECT_EQ(w.output_steps(),
              testing::keras_output_length(p.steps, p.kernel_size, p.padding, p.stride, p.dilation))
        << describe(p);
    EXPECT_EQ(w.pad_left(),
              testing::keras_pad_left(p.steps, p.kernel_size, p.padding, p.stride, p.dilation))
        << describe(p);
  }
  EXPECT_EQ((Window1d{10, 3, 3, 1, Padding::same}.output_steps()), 4);  // ceil(10 / 3)
  EXPECT_EQ((Window1d{4, 7, 1, 1, Padding::valid}.output_steps()), 0);
}

template <class T>
class ConvOpsTyped : public ::testing::Test {};
using FloatTypes = ::testing::Types<float, double>;
TYPED_TEST_SUITE(ConvOpsTyped, FloatTypes);

template <class T>
void expect_forward_matches_reference(const ConvCase& p, double tolerance) {
  const Window1d w = window_of(p);
  const Tensor x = random_tensor<T>({p.batch, p.steps, p.channels}, 1);
  const Tensor kernel = random_tensor<T>({p.kernel_size, p.channels, p.filters}, 2);
  const Tensor bias = random_tensor<T>({p.filters}, 3);
  Tensor y = Tensor::empty({p.batch, w.output_steps(), p.filters}, x.dtype());
  ops::conv1d_forward(x, kernel, bias, w, y);
  expect_all_near(y.to_vector<T>(),
                  testing::reference_conv(p, widened<T>(x), widened<T>(kernel), widened<T>(bias)),
                  tolerance, describe(p));
}

TYPED_TEST(ConvOpsTyped, ForwardMatchesReferenceForEveryPaddingStrideAndDilation) {
  for (const ConvCase& p : every_small_case()) expect_forward_matches_reference<TypeParam>(p, 1e-5);
}

// The adjoint loops of reference_conv: each product x * w * dy credited to x and w.
void expect_backward_matches_reference(const ConvCase& p) {
  const Window1d w = window_of(p);
  const std::int64_t out = w.output_steps(), pad = w.pad_left();
  const Tensor x = random_tensor<double>({p.batch, p.steps, p.channels}, 4);
  const Tensor kernel = random_tensor<double>({p.kernel_size, p.channels, p.filters}, 5);
  const Tensor dy = random_tensor<double>({p.batch, out, p.filters}, 6);
  const auto xv = as_doubles(x), kv = as_doubles(kernel), gv = as_doubles(dy);
  std::vector<double> dx(xv.size(), 0.0), dk(kv.size(), 0.0), db(p.filters, 0.0);
  for (std::int64_t b = 0; b < p.batch; ++b)
    for (std::int64_t t = 0; t < out; ++t)
      for (std::int64_t f = 0; f < p.filters; ++f) {
        const double g = gv[(b * out + t) * p.filters + f];
        db[f] += g;
        for (std::int64_t k = 0; k < p.kernel_size; ++k) {
          const std::int64_t i = t * p.stride + k * p.dilation - pad;
          if (i < 0 || i >= p.steps) continue;
          for (std::int64_t c = 0; c < p.channels; ++c) {
            dx[(b * p.steps + i) * p.channels + c] += g * kv[(k * p.channels + c) * p.filters + f];
            dk[(k * p.channels + c) * p.filters + f] += g * xv[(b * p.steps + i) * p.channels + c];
          }
        }
      }
  Tensor grad_x = random_tensor<double>(x.shape(), 7);  // overwritten
  ops::conv1d_backward_input(dy, kernel, w, grad_x);
  expect_all_near(as_doubles(grad_x), dx, 1e-12, "dx " + describe(p));

  Tensor grad_kernel = Tensor::zeros(kernel.shape(), DType::float64);
  Tensor grad_bias = Tensor::zeros({p.filters}, DType::float64);
  ops::conv1d_backward_weights(x, dy, w, grad_kernel, grad_bias);
  expect_all_near(as_doubles(grad_kernel), dk, 1e-12, "dkernel " + describe(p));
  expect_all_near(as_doubles(grad_bias), db, 1e-12, "dbias " + describe(p));
}

TEST(ConvOps, BackwardMatchesReferenceForEveryPaddingStrideAndDilation) {
  for (const ConvCase& p : every_small_case()) expect_backward_matches_reference(p);
}

// 5 samples of 2100 steps x 3 taps x 128 channels: the CPU kernels' im2col
// blocks (2^21 values, kernels/conv_cpu.cpp) take 2, 2 and 1 of them, and
// each block's GEMM is large enough to be cut over threads.
TEST(ConvOps, SamplesSpanningSeveralColumnBlocksMatchReference) {
  const ConvCase p{5, 2100, 128, 4, 3, 1, 1, "same"};
  expect_forward_matches_reference<double>(p, 1e-12);
  expect_backward_matches_reference(p);
}

TEST(ConvOps, WeightGradientsAddToWhatIsThere) {
  const ConvCase p{2, 9, 3, 4, 3, 1, 1, "same"};
  const Window1d w = window_of(p);
  const Tensor x = random_tensor<double>({p.batch, p.steps, p.channels}, 8);
  const Tensor dy = random_tensor<double>({p.batch, w.output_steps(), p.filters}, 9);
  Tensor once_k = Tensor::zeros({p.kernel_size, p.channels, p.filters}, DType::float64);
  Tensor once_b = Tensor::zeros({p.filters}, DType::float64);
  ops::conv1d_backward_weights(x, dy, w, once_k, once_b);
  Tensor twice_k = once_k.clone(), twice_b = once_b.clone();
  ops::conv1d_backward_weights(x, dy, w, twice_k, twice_b);
  std::vector<double> doubled_k = as_doubles(once_k), doubled_b = as_doubles(once_b);
  for (double& v : doubled_k) v *= 2;
  for (double& v : doubled_b) v *= 2;
  expect_all_near(as_doubles(twice_k), doubled_k, 1e-12, "kernel");
  expect_all_near(as_doubles(twice_b), doubled_b, 1e-12, "bias");
}

TEST(ConvOps, ErrorsNameTheOpAndTheMismatch) {
  const Window1d w{8, 3, 1, 1, Padding::valid};
  const Tensor x = random_tensor<float>({2, 8, 3}, 1);
  const Tensor kernel = random_tensor<float>({3, 4, 5}, 2);  // 4 channels, x has 3
  Tensor y = Tensor::empty({2, 6, 5});
  expect_error_mentions([&] { ops::conv1d_forward(x, kernel, Tensor(), w, y); },
                        {"conv1d_forward", "kernel", "[3, 3, filters]"});
  expect_error_mentions(
      [&] {
        ops::conv1d_forward(random_tensor<float>({2, 8}, 3), kernel, Tensor(), w, y);
      },
      {"conv1d_forward", "rank 3"});
  expect_error_mentions(
      [&] {
        ops::conv1d_forward_cudnn(x, random_tensor<float>({3, 3, 5}, 4), Tensor(), w, y);
      },
      {"conv1d_forward_cudnn", "GPU"});
}

}  // namespace
}  // namespace cuseq
