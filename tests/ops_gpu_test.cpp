// Every op on the GPU against its CPU twin, on the same inputs.
#include <gtest/gtest.h>

#include "test_support.h"

namespace cuseq {
namespace {

using testing::expect_all_near;
using testing::random_tensor;

const Device kGpu = Device::cuda(0);

// Runs `op` on CPU copies and GPU copies of `inputs` and compares its output.
template <class Op>
void expect_parity(const std::vector<Tensor>& inputs, const Shape& out_shape, DType out_dtype,
                   Op op, double tolerance, const std::string& what) {
  std::vector<Tensor> on_gpu;
  for (const Tensor& t : inputs) on_gpu.push_back(t.to(kGpu));
  Tensor cpu_out = Tensor::zeros(out_shape, out_dtype);
  Tensor gpu_out = Tensor::zeros(out_shape, out_dtype, kGpu);
  op(inputs, cpu_out);
  op(on_gpu, gpu_out);
  const Tensor back = gpu_out.to(Device::cpu());
  if (out_dtype == DType::int32) {
    EXPECT_EQ(back.to_vector<std::int32_t>(), cpu_out.to_vector<std::int32_t>()) << what;
  } else if (out_dtype == DType::float64) {
    expect_all_near(back.to_vector<double>(), cpu_out.to_vector<double>(), tolerance, what);
  } else {
    expect_all_near(back.to_vector<float>(), cpu_out.to_vector<float>(), tolerance, what);
  }
}

TEST(OpsGpu, TensorsRoundTripThroughTheGpu) {
  CUSEQ_REQUIRE_GPU();
  const Tensor host = random_tensor<float>({3, 5}, 1);
  const Tensor device = host.to(kGpu);
  EXPECT_EQ(device.device(), kGpu);
  EXPECT_EQ(device.to(Device::cpu()).to_vector<float>(), host.to_vector<float>());
  EXPECT_EQ(device.slice(1, 2).to(Device::cpu()).to_vector<float>(),
            host.slice(1, 2).to_vector<float>());
}

TEST(OpsGpu, GemmMatchesCpu) {
  CUSEQ_REQUIRE_GPU();
  for (const bool ta : {false, true}) {
    for (const bool tb : {false, true}) {
      const Tensor a = random_tensor<float>(ta ? Shape{33, 17} : Shape{17, 33}, 2);
      const Tensor b = random_tensor<float>(tb ? Shape{29, 33} : Shape{33, 29}, 3);
      expect_parity(
          {a, b}, {17, 29}, DType::float32,
          [&](const std::vector<Tensor>& in, Tensor& out) { ops::gemm(in[0], ta, in[1], tb, out); },
          1e-4, "gemm");
    }
  }
  const Tensor a = random_tensor<double>({8, 4}, 4), b = random_tensor<double>({4, 6}, 5);
  expect_parity(
      {a, b}, {8, 6}, DType::float64,
      [](const std::vector<Tensor>& in, Tensor& out) {
        ops::gemm(in[0], false, in[1], false, out);
      },
      1e-12, "dgemm");
}

TEST(OpsGpu, PointwiseOpsMatchCpu) {
  CUSEQ_REQUIRE_GPU();
  const Tensor a = random_tensor<float>({64, 130}, 6), b = random_tensor<float>({64, 130}, 7);
  const Tensor bias = random_tensor<float>({130}, 8);
  const Shape s = a.shape();
  expect_parity(
      {a, b}, s, DType::float32, [](auto& in, Tensor& out) { ops::add(in[0], in[1], out); }, 0,
      "add");
  expect_parity(
      {a, b}, s, DType::float32, [](auto& in, Tensor& out) { ops::multiply(in[0], in[1], out); }, 0,
      "multiply");
  expect_parity(
      {a, b}, s, DType::float32,
      [](auto& in, Tensor& out) { ops::axpby(0.3, in[0], 2.0, in[1], out); }, 1e-6, "axpby");
  expect_parity(
      {a, bias}, s, DType::float32, [](auto& in, Tensor& out) { ops::bias_add(in[0], in[1], out); },
      0, "bias_add");
  for (const Activation f :
       {Activation::relu, Activation::sigmoid, Activation::tanh, Activation::softmax}) {
    expect_parity(
        {a}, s, DType::float32,
        [f](auto& in, Tensor& out) { ops::activation_forward(f, in[0], out); }, 1e-5,
        activation_name(f));
    expect_parity(
        {a, b}, s, DType::float32,
        [f](auto& in, Tensor& out) { ops::activation_backward(f, in[0], in[1], out); }, 1e-5,
        activation_name(f) + " backward");
  }
}

TEST(OpsGpu, RandomNumbersMatchCpu) {
  CUSEQ_REQUIRE_GPU();
  expect_parity(
      {}, {1000}, DType::float32,
      [](auto&, Tensor& out) {
        ops::random_uniform(out, -1, 1, {3, 4});
      },
      1e-6, "uniform");
  expect_parity(
      {}, {1000}, DType::float64,
      [](auto&, Tensor& out) {
        ops::random_normal(out, 0, 1, {3, 4});
      },
      1e-9, "normal");
}

TEST(OpsGpu, ReductionsArgmaxAndTransposeMatchCpu) {
  CUSEQ_REQUIRE_GPU();
  const Tensor x = random_tensor<float>({7, 300, 5}, 9);
  for (const Reduction r : {Reduction::sum, Reduction::mean, Reduction::max}) {
    expect_parity(
        {x}, {300, 5}, DType::float32,
        [r](auto& in, Tensor& out) { ops::reduce(r, in[0], 0, out); }, 1e-5, "axis 0");
    expect_parity(
        {x}, {7, 5}, DType::float32, [r](auto& in, Tensor& out) { ops::reduce(r, in[0], 1, out); },
        1e-5, "axis 1");
    expect_parity(
        {x}, {7, 300}, DType::float32,
        [r](auto& in, Tensor& out) { ops::reduce(r, in[0], 2, out); }, 1e-5, "axis 2");
  }
  expect_parity(
      {x}, {7, 300}, DType::int32, [](auto& in, Tensor& out) { ops::argmax(in[0], out); }, 0,
      "argmax");
  expect_parity(
      {x}, {300, 7, 5}, DType::float32,
      [](auto& in, Tensor& out) { ops::swap_leading_axes(in[0], out); }, 0, "swap");
}

TEST(OpsGpu, MixingDevicesIsAClearError) {
  CUSEQ_REQUIRE_GPU();
  const Tensor a = Tensor::zeros({2, 2}), b = Tensor::zeros({2, 2}, DType::float32, kGpu);
  Tensor out = Tensor::zeros({2, 2});
  testing::expect_error_mentions([&] { ops::add(a, b, out); },
                                 {"add", "different devices", "cuda:0", "cpu"});
}

TEST(AllocatorGpu, FreedBlocksAreReusedWithoutNewCudaMalloc) {
  CUSEQ_REQUIRE_GPU();
  { Tensor warm = Tensor::empty({1 << 20}, DType::float32, kGpu); }
  const MemoryStats before = memory_stats(kGpu);
  EXPECT_GE(before.bytes_cached, std::size_t{4} << 20);
  for (int step = 0; step < 10; ++step) {
    Tensor t = Tensor::empty({1 << 20}, DType::float32, kGpu);
  }
  const MemoryStats after = memory_stats(kGpu);
  EXPECT_EQ(after.device_malloc_calls, before.device_malloc_calls);
  EXPECT_EQ(after.bytes_in_use, before.bytes_in_use);
}

TEST(AllocatorGpu, StatisticsTrackUsePeakAndEmptyCache) {
  CUSEQ_REQUIRE_GPU();
  empty_cache(kGpu);
  reset_peak_memory(kGpu);
  const MemoryStats start = memory_stats(kGpu);
  {
    Tensor t = Tensor::empty({3 << 20}, DType::float32, kGpu);
    EXPECT_GE(memory_stats(kGpu).bytes_in_use, start.bytes_in_use + (std::size_t{12} << 20));
  }
  const MemoryStats freed = memory_stats(kGpu);
  EXPECT_EQ(freed.bytes_in_use, start.bytes_in_use);
  EXPECT_GE(freed.peak_bytes_in_use, start.bytes_in_use + (std::size_t{12} << 20));
  EXPECT_GE(freed.bytes_cached, std::size_t{12} << 20);
  empty_cache(kGpu);
  EXPECT_EQ(memory_stats(kGpu).bytes_cached, 0u);
}

TEST(StreamGpu, WorkOnAStreamIsOrderedAndSynchronizes) {
  CUSEQ_REQUIRE_GPU();
  Stream stream(kGpu);
  const Tensor host = random_tensor<float>({256, 256}, 10);
  Tensor result;
  {
    StreamGuard guard(stream);
    const Tensor a = host.to(kGpu);
    result = ops::matmul(a, a);
    stream.synchronize();
  }
  expect_all_near(result.to(Device::cpu()).to_vector<float>(),
                  ops::matmul(host, host).to_vector<float>(), 1e-4);
}

// The stream pool hands out the same streams again (a stack of layers in
// every predict() call creates none), distinct ones for neighbouring indices.
TEST(StreamGpu, PooledStreamsAreReusedAcrossCalls) {
  CUSEQ_REQUIRE_GPU();
  const Stream& first = pooled_stream(kGpu, 0);
  EXPECT_EQ(&pooled_stream(kGpu, 0), &first);
  EXPECT_NE(pooled_stream(kGpu, 1).handle(), first.handle());
  EXPECT_NE(first.handle(), nullptr);
  EXPECT_EQ(first.device(), kGpu);
}

// Long-K GEMMs (cuBLAS may split K and keep partial sums in its workspace)
// queued on two streams at once, many times: each stream must have its own
// workspace, so every product still equals the same product computed alone.
TEST(StreamGpu, GemmsOnConcurrentStreamsKeepTheirOwnWorkspace) {
  CUSEQ_REQUIRE_GPU();
  const Tensor a = random_tensor<float>({64, 65536}, 11).to(kGpu);
  const Tensor b = random_tensor<float>({65536, 64}, 12).to(kGpu);
  const Tensor c = random_tensor<float>({65536, 48}, 13).to(kGpu);
  const std::vector<float> ab = ops::matmul(a, b).to(Device::cpu()).to_vector<float>();
  const std::vector<float> ac = ops::matmul(a, c).to(Device::cpu()).to_vector<float>();
  Stream first(kGpu), second(kGpu);
  std::vector<Tensor> on_first, on_second;
  void* const caller = current_stream_handle(kGpu);
  stream_wait(kGpu, first.handle(), caller);
  stream_wait(kGpu, second.handle(), caller);
  for (int round = 0; round < 8; ++round) {
    {
      StreamGuard guard(first);
      on_first.push_back(ops::matmul(a, b));
    }
    StreamGuard guard(second);
    on_second.push_back(ops::matmul(a, c));
  }
  first.synchronize();
  second.synchronize();
  // The caller's stream may pick another cuBLAS algorithm (another workspace
  // size): near its result; one stream's rounds run one algorithm: the same bits.
  const std::vector<float> first_round = on_first[0].to(Device::cpu()).to_vector<float>();
  const std::vector<float> second_round = on_second[0].to(Device::cpu()).to_vector<float>();
  expect_all_near(first_round, ab, 1e-2, "a b on a second stream");
  expect_all_near(second_round, ac, 1e-2, "a c on a second stream");
  for (int round = 1; round < 8; ++round) {
    EXPECT_EQ(on_first[round].to(Device::cpu()).to_vector<float>(), first_round) << round;
    EXPECT_EQ(on_second[round].to(Device::cpu()).to_vector<float>(), second_round) << round;
  }
}

}  // namespace
}  // namespace cuseq
