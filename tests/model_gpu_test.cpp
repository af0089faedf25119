// Loss, metric and optimizer kernels on the GPU against their CPU twins.
#include <gtest/gtest.h>

#include "test_support.h"

namespace cuseq {
namespace {

using testing::expect_all_near;
using testing::random_tensor;

const Device kGpu = Device::cuda(0);

TEST(ModelGpu, LossesAndGradientsMatchCpu) {
  CUSEQ_REQUIRE_GPU();
  const Tensor logits = random_tensor<float>({67, 33}, 1, Device::cpu(), -4, 4);
  const Tensor probabilities = random_tensor<float>({67, 33}, 2, Device::cpu(), 0.01, 0.99);
  const Tensor soft = random_tensor<float>({67, 33}, 3, Device::cpu(), 0, 1);
  std::vector<std::int32_t> ids(67);
  for (int i = 0; i < 67; ++i) ids[i] = (i * 7) % 33;
  const Tensor labels = Tensor::from_vector<std::int32_t>(ids, {67});
  for (const LossKind kind : {LossKind::binary_crossentropy, LossKind::categorical_crossentropy,
                              LossKind::sparse_categorical_crossentropy,
                              LossKind::mean_squared_error, LossKind::mean_absolute_error}) {
    for (const bool logits_in : {false, true}) {
      if (logits_in &&
          (kind == LossKind::mean_squared_error || kind == LossKind::mean_absolute_error))
        continue;
      const Tensor& p = logits_in ? logits : probabilities;
      const Tensor& y = kind == LossKind::sparse_categorical_crossentropy ? labels : soft;
      const Loss loss{kind, logits_in};
      Tensor grad_cpu = Tensor::zeros(p.shape()),
             grad_gpu = Tensor::zeros(p.shape(), DType::float32, kGpu);
      const double cpu = compute_loss(loss, p, y, grad_cpu);
      const double gpu = compute_loss(loss, p.to(kGpu), y.to(kGpu), grad_gpu);
      EXPECT_NEAR(gpu, cpu, 1e-5 * (1 + std::fabs(cpu))) << loss_name(kind);
      expect_all_near(grad_gpu.to(Device::cpu()).to_vector<float>(), grad_cpu.to_vector<float>(),
                      1e-5, loss_name(kind));
    }
  }
  testing::expect_error_mentions(
      [&] {
        compute_loss(
            loss_from_name("sparse_categorical_crossentropy"), probabilities.to(kGpu),
            Tensor::from_vector<std::int32_t>(std::vector<std::int32_t>(67, 40), {67}, kGpu));
      },
      {"label 40", "position 0"});
}

TEST(ModelGpu, MetricsMatchCpu) {
  CUSEQ_REQUIRE_GPU();
  const Tensor p = random_tensor<float>({100, 7}, 4, Device::cpu(), 0, 1);
  const Tensor y = random_tensor<float>({100, 7}, 5, Device::cpu(), 0, 1);
  for (const char* name : {"categorical_accuracy", "mae", "mse"}) {
    const Metric metric = metric_from_name(name, Loss{});
    EXPECT_NEAR(compute_metric(metric, p.to(kGpu), y.to(kGpu)), compute_metric(metric, p, y), 1e-6)
        << name;
  }
}

// A language model's rows: a warp walks each row in strides of 32 columns, so
// a width that is not a multiple of 32 checks the lanes without a last column.
TEST(ModelGpu, WideVocabularyLossesMatchCpu) {
  CUSEQ_REQUIRE_GPU();
  const std::int64_t rows = 70, vocabulary = 5003;
  const Tensor logits = random_tensor<float>({rows, vocabulary}, 6, Device::cpu(), -6, 6);
  const Tensor soft = random_tensor<float>({rows, vocabulary}, 7, Device::cpu(), 0, 1);
  std::vector<std::int32_t> ids(rows);
  for (std::int64_t i = 0; i < rows; ++i)
    ids[i] = static_cast<std::int32_t>((i * 977) % vocabulary);
  const Tensor labels = Tensor::from_vector<std::int32_t>(ids, {rows});
  for (const LossKind kind :
       {LossKind::sparse_categorical_crossentropy, LossKind::categorical_crossentropy}) {
    const Tensor& y = kind == LossKind::sparse_categorical_crossentropy ? labels : soft;
    const Loss loss{kind, true};
    Tensor grad_cpu = Tensor::zeros(logits.shape());
    Tensor grad_gpu = Tensor::zeros(logits.shape(), DType::float32, kGpu);
    const double cpu = compute_loss(loss, logits, y, grad_cpu);
    const double gpu = compute_loss(loss, logits.to(kGpu), y.to(kGpu), grad_gpu);
    // float32 sums of 5,003 terms in another order: relative 1e-5.
    EXPECT_NEAR(gpu, cpu, 1e-5 * (1 + std::fabs(cpu))) << loss_name(kind);
    expect_all_near(grad_gpu.to(Device::cpu()).to_vector<float>(), grad_cpu.to_vector<float>(),
                    1e-6, loss_name(kind));
  }
}

// Ties go to the first maximum on both backends, across lanes too: row r holds
// its maximum at columns r and r + 40 (different lanes, one strided pass apart).
TEST(ModelGpu, AccuracyTiesGoToTheFirstMaximumAsOnCpu) {
  CUSEQ_REQUIRE_GPU();
  const std::int64_t rows = 24, columns = 100;
  std::vector<float> values(rows * columns, 0.0f);
  std::vector<std::int32_t> labels(rows);
  for (std::int64_t r = 0; r < rows; ++r) {
    values[r * columns + r] = values[r * columns + r + 40] = 1.0f;
    labels[r] = static_cast<std::int32_t>(r % 2 == 0 ? r : r + 40);  // half right, half wrong
  }
  const Tensor p = Tensor::from_vector(values, {rows, columns});
  const Tensor y = Tensor::from_vector<std::int32_t>(labels, {rows});
  const Metric metric = metric_from_name("sparse_categorical_accuracy", Loss{});
  EXPECT_DOUBLE_EQ(compute_metric(metric, p, y), 0.5);
  EXPECT_DOUBLE_EQ(compute_metric(metric, p.to(kGpu), y.to(kGpu)), 0.5);
}

TEST(ModelGpu, FusedOptimizerStepsMatchCpu) {
  CUSEQ_REQUIRE_GPU();
  const Tensor w = random_tensor<float>({1000, 37}, 6),
               g = random_tensor<float>({1000, 37}, 7, Device::cpu(), -3, 3);
  auto run = [&](Device device, Optimizer& optimizer) {
    Parameter p;
    p.value = w.to(device).clone();
    p.grad = g.to(device).clone();
    for (int step = 0; step < 3; ++step) optimizer.apply({&p});
    return p.value.to(Device::cpu()).to_vector<float>();
  };
  const auto check_pair = [&](std::unique_ptr<Optimizer> cpu, std::unique_ptr<Optimizer> gpu,
                              const char* what) {
    cpu->clipping = gpu->clipping = GradientClipping{5.0, 2.0};
    expect_all_near(run(kGpu, *gpu), run(Device::cpu(), *cpu), 1e-5, what);
  };
  check_pair(std::make_unique<SGD>(0.1, 0.9, true), std::make_unique<SGD>(0.1, 0.9, true), "sgd");
  check_pair(std::make_unique<RMSprop>(0.01, 0.9, 0.5, 1e-7, true),
             std::make_unique<RMSprop>(0.01, 0.9, 0.5, 1e-7, true), "rmsprop");
  check_pair(std::make_unique<Adam>(0.01, 0.9, 0.999, 1e-7, true),
             std::make_unique<Adam>(0.01, 0.9, 0.999, 1e-7, true), "adam");
  const Tensor norm_cpu = ops::clipped_squared_norm(g, 0.5),
               norm_gpu = ops::clipped_squared_norm(g.to(kGpu), 0.5);
  EXPECT_NEAR(norm_gpu.item(), norm_cpu.item(), 1e-6 * norm_cpu.item());
}

// A large weight's norm is summed by many blocks (the last one short) and
// then by one: the same as the CPU's, and the same bits on every call.
TEST(ModelGpu, ClipnormOfALargeGradientMatchesCpuAndRepeats) {
  CUSEQ_REQUIRE_GPU();
  const Tensor g = random_tensor<float>({1000003}, 8, Device::cpu(), -3, 3);
  const Tensor on_gpu = g.to(kGpu);
  const double cpu = ops::clipped_squared_norm(g, 2.0).item();
  const double gpu = ops::clipped_squared_norm(on_gpu, 2.0).item();
  EXPECT_NEAR(gpu, cpu, 1e-6 * cpu);  // double sums rounded once to float
  EXPECT_EQ(ops::clipped_squared_norm(on_gpu, 2.0).item(), gpu);
}

}  // namespace
}  // namespace cuseq
