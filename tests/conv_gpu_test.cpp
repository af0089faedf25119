// The convolution and pooling kernels on the GPU against their CPU twins, and
// our forward convolution against cuDNN's, on the same inputs.
#include <gtest/gtest.h>

#include "test_support.h"

namespace cuseq {
namespace {

using testing::expect_all_near;
using testing::random_tensor;

const Device kGpu = Device::cuda(0);

struct Case {
  std::int64_t batch, steps, channels, filters, kernel_size, stride, dilation;
  Padding padding;
};

// Small odd sizes (partial tiles) and one that spans several tiles and splits.
const std::vector<Case> kCases = {
    {2, 9, 3, 5, 3, 1, 1, Padding::valid},     {2, 9, 3, 5, 3, 2, 1, Padding::same},
    {3, 10, 4, 6, 4, 1, 2, Padding::causal},   {1, 7, 2, 3, 1, 3, 1, Padding::same},
    {4, 130, 70, 67, 7, 1, 1, Padding::valid}, {2, 300, 33, 40, 5, 2, 1, Padding::same}};

Window1d window_of(const Case& c) {
  return Window1d{c.steps, c.kernel_size, c.stride, c.dilation, c.padding};
}

template <class T>
std::vector<T> host(const Tensor& t) {
  return t.to(Device::cpu()).to_vector<T>();
}

template <class T>
void expect_conv_parity(double tolerance) {
  for (const Case& c : kCases) {
    const Window1d w = window_of(c);
    const std::string what = padding_name(c.padding) + " steps " + std::to_string(c.steps);
    const Tensor x = random_tensor<T>({c.batch, c.steps, c.channels}, 1);
    const Tensor kernel = random_tensor<T>({c.kernel_size, c.channels, c.filters}, 2);
    const Tensor bias = random_tensor<T>({c.filters}, 3);
    const Tensor dy = random_tensor<T>({c.batch, w.output_steps(), c.filters}, 4);
    const DType dtype = x.dtype();

    Tensor y = Tensor::empty(dy.shape(), dtype), gpu_y = Tensor::empty(dy.shape(), dtype, kGpu);
    ops::conv1d_forward(x, kernel, bias, w, y);
    ops::conv1d_forward(x.to(kGpu), kernel.to(kGpu), bias.to(kGpu), w, gpu_y);
    expect_all_near(host<T>(gpu_y), y.to_vector<T>(), tolerance, what + " forward");

    Tensor dx = Tensor::empty(x.shape(), dtype), gpu_dx = Tensor::empty(x.shape(), dtype, kGpu);
    ops::conv1d_backward_input(dy, kernel, w, dx);
    ops::conv1d_backward_input(dy.to(kGpu), kernel.to(kGpu), w, gpu_dx);
    expect_all_near(host<T>(gpu_dx), dx.to_vector<T>(), tolerance, what + " dx");

    Tensor dk = random_tensor<T>(kernel.shape(), 5), db = random_tensor<T>(bias.shape(), 6);
    Tensor gpu_dk = dk.to(kGpu).clone(), gpu_db = db.to(kGpu).clone();
    ops::conv1d_backward_weights(x, dy, w, dk, db);
    ops::conv1d_backward_weights(x.to(kGpu), dy.to(kGpu), w, gpu_dk, gpu_db);
    expect_all_near(host<T>(gpu_dk), dk.to_vector<T>(), tolerance * 10, what + " dkernel");
    expect_all_near(host<T>(gpu_db), db.to_vector<T>(), tolerance * 10, what + " dbias");
  }
}

TEST(ConvGpu, Float32KernelsMatchCpu) {
  CUSEQ_REQUIRE_GPU();
  expect_conv_parity<float>(1e-4);
}

TEST(ConvGpu, Float64KernelsMatchCpu) {
  CUSEQ_REQUIRE_GPU();
  expect_conv_parity<double>(1e-11);
}

TEST(ConvGpu, WeightGradientIsBitwiseReproducible) {
  CUSEQ_REQUIRE_GPU();
  const Case c = kCases.back();
  const Window1d w = window_of(c);
  const Tensor x = random_tensor<float>({c.batch, c.steps, c.channels}, 1, kGpu);
  const Tensor dy = random_tensor<float>({c.batch, w.output_steps(), c.filters}, 2, kGpu);
  std::vector<std::vector<float>> runs;
  for (int run = 0; run < 2; ++run) {
    Tensor dk = Tensor::zeros({c.kernel_size, c.channels, c.filters}, DType::float32, kGpu);
    Tensor db = Tensor::zeros({c.filters}, DType::float32, kGpu);
    ops::conv1d_backward_weights(x, dy, w, dk, db);
    runs.push_back(host<float>(dk));
  }
  EXPECT_EQ(runs[0], runs[1]);
}

TEST(ConvGpu, ForwardMatchesCudnn) {
  CUSEQ_REQUIRE_GPU();
  CUSEQ_REQUIRE_CUDNN();
  for (const Case& c : kCases) {
    const Window1d w = window_of(c);
    const Tensor x = random_tensor<float>({c.batch, c.steps, c.channels}, 7, kGpu);
    const Tensor kernel = random_tensor<float>({c.kernel_size, c.channels, c.filters}, 8, kGpu);
    const Tensor bias = random_tensor<float>({c.filters}, 9, kGpu);
    const Shape shape{c.batch, w.output_steps(), c.filters};
    Tensor ours = Tensor::empty(shape, DType::float32, kGpu);
    Tensor theirs = Tensor::empty(shape, DType::float32, kGpu);
    ops::conv1d_forward(x, kernel, bias, w, ours);
    ops::conv1d_forward_cudnn(x, kernel, bias, w, theirs);
    // cuDNN may use TF32 or Winograd arithmetic: a looser bound than CPU parity.
    expect_all_near(host<float>(ours), host<float>(theirs), 5e-3,
                    padding_name(c.padding) + " steps " + std::to_string(c.steps));
  }
}

TEST(ConvGpu, PoolingMatchesCpu) {
  CUSEQ_REQUIRE_GPU();
  const Tensor x = random_tensor<double>({3, 50, 17}, 10);
  for (const Window1d w :
       {Window1d{50, 3, 1, 1, Padding::valid}, Window1d{50, 4, 3, 1, Padding::same},
        Window1d{50, 50, 50, 1, Padding::valid}}) {
    const Shape out{3, w.output_steps(), 17};
    const Tensor dy = random_tensor<double>(out, 11);
    Tensor y = Tensor::empty(out, DType::float64), gpu_y = Tensor::empty(out, DType::float64, kGpu);
    Tensor arg = Tensor::empty(out, DType::int32), gpu_arg = Tensor::empty(out, DType::int32, kGpu);
    ops::max_pool1d_forward(x, w, y, arg);
    ops::max_pool1d_forward(x.to(kGpu), w, gpu_y, gpu_arg);
    EXPECT_EQ(host<double>(gpu_y), y.to_vector<double>());
    EXPECT_EQ(host<std::int32_t>(gpu_arg), arg.to_vector<std::int32_t>());
    Tensor dx = Tensor::empty(x.shape(), DType::float64),
           gpu_dx = Tensor::empty(x.shape(), DType::float64, kGpu);
    ops::max_pool1d_backward(dy, arg, w, dx);
    ops::max_pool1d_backward(dy.to(kGpu), gpu_arg, w, gpu_dx);
    expect_all_near(host<double>(gpu_dx), dx.to_vector<double>(), 1e-12, "max backward");
    ops::average_pool1d_forward(x, w, y);
    ops::average_pool1d_forward(x.to(kGpu), w, gpu_y);
    expect_all_near(host<double>(gpu_y), y.to_vector<double>(), 1e-12, "average forward");
    ops::average_pool1d_backward(dy, w, dx);
    ops::average_pool1d_backward(dy.to(kGpu), w, gpu_dx);
    expect_all_near(host<double>(gpu_dx), dx.to_vector<double>(), 1e-12, "average backward");
  }
}

}  // namespace
}  // namespace cuseq
