// Bidirectional on the GPU (two directions on two streams) against the CPU:
// outputs, input gradients and all weight gradients, with masks and dropout.
#include <gtest/gtest.h>

#include "cuseq/bidirectional.h"
#include "recurrent_reference.h"

namespace cuseq {
namespace {

using testing::expect_all_near;
using testing::random_tensor;

const Device kGpu = Device::cuda(0);

std::vector<float> on_host(const Tensor& t) { return t.to(Device::cpu()).to_vector<float>(); }

struct Pair {
  std::unique_ptr<Bidirectional> cpu, gpu;
};

Pair make_pair(const std::string& cell, const std::string& mode, bool sequences) {
  RecurrentOptions options;
  options.seed = 7;
  options.return_sequences = sequences;
  options.dropout = 0.2;
  options.recurrent_dropout = 0.25;
  Pair p{std::make_unique<Bidirectional>(testing::make_recurrent(cell, 24, options), mode),
         std::make_unique<Bidirectional>(testing::make_recurrent(cell, 24, options), mode)};
  Generator g1(3), g2(3);
  p.cpu->build(Shape{9, 6}, DType::float32, Device::cpu(), g1);
  p.gpu->build(Shape{9, 6}, DType::float32, kGpu, g2);
  p.gpu->set_weights(p.cpu->get_weights());
  return p;
}

// One training step on each device; `repeats` steps on the GPU reuse its
// streams and cached blocks, which must not change the results.
void expect_gpu_matches_cpu(const std::string& cell, const std::string& mode, bool sequences,
                            int repeats = 1) {
  SCOPED_TRACE(cell + " " + mode);
  Pair p = make_pair(cell, mode, sequences);
  const Tensor x = random_tensor<float>({4, 9, 6}, 1);
  ForwardContext context;
  context.training = true;
  std::vector<float> mask(4 * 9, 1.0f);
  mask[8] = mask[7] = 0;   // sample 0 right-padded
  mask[9] = mask[10] = 0;  // sample 1 left-padded
  mask[2 * 9 + 4] = 0;     // sample 2 with a hole
  context.mask = Tensor::from_vector(mask, Shape{4, 9});
  ForwardContext gpu_context = context;
  gpu_context.mask = context.mask.to(kGpu);

  const Tensor y = p.cpu->forward(x, context);
  const Tensor dy = random_tensor<float>(y.shape(), 2);
  p.cpu->zero_grad();
  const Tensor dx = p.cpu->backward(dy);
  for (int repeat = 0; repeat < repeats; ++repeat) {
    for (Parameter* parameter : p.gpu->parameters()) parameter->grad.zero();
    for (Recurrent* d : {&p.gpu->forward_layer(), &p.gpu->backward_layer()}) {
      d->dropout_generator().set_counter(0);  // the CPU's masks again
    }
    const Tensor y_gpu = p.gpu->forward(x.to(kGpu), gpu_context);
    const Tensor dx_gpu = p.gpu->backward(dy.to(kGpu));
    expect_all_near(on_host(y_gpu), y.to_vector<float>(), 1e-5, "output");
    expect_all_near(on_host(dx_gpu), dx.to_vector<float>(), 1e-4, "d input");
    const auto a = p.cpu->parameters();
    const auto b = p.gpu->parameters();
    for (std::size_t i = 0; i < a.size(); ++i) {
      expect_all_near(on_host(b[i]->grad), a[i]->grad.to_vector<float>(), 1e-4, a[i]->name);
    }
  }
}

TEST(BidirectionalGpu, EveryMergeModeMatchesCpu) {
  CUSEQ_REQUIRE_GPU();
  for (const std::string mode : {"concat", "sum", "mul", "ave"}) {
    expect_gpu_matches_cpu("LSTM", mode, true);
  }
  expect_gpu_matches_cpu("GRU", "concat", false);
}

TEST(BidirectionalGpu, RepeatedStepsOnTwoStreamsStayExact) {
  CUSEQ_REQUIRE_GPU();
  expect_gpu_matches_cpu("GRU", "sum", true, 3);
}

TEST(BidirectionalGpu, OrdersItsStreamsAfterTheCallersStream) {
  CUSEQ_REQUIRE_GPU();
  Stream caller(kGpu);
  StreamGuard guard(caller);
  expect_gpu_matches_cpu("LSTM", "concat", true, 2);
}

TEST(BidirectionalGpu, MergeKernelsMatchCpu) {
  CUSEQ_REQUIRE_GPU();
  const Tensor f = random_tensor<float>({3, 5, 7}, 4), b = random_tensor<float>({3, 5, 7}, 5);
  const Tensor d = random_tensor<float>({3, 5, 14}, 6);
  Tensor out = Tensor::empty({3, 5, 14}), out_gpu = Tensor::empty({3, 5, 14}, DType::float32, kGpu);
  ops::bidirectional_merge(MergeMode::concat, f, b, out);
  ops::bidirectional_merge(MergeMode::concat, f.to(kGpu), b.to(kGpu), out_gpu);
  EXPECT_EQ(on_host(out_gpu), out.to_vector<float>());
  Tensor df = Tensor::empty(f.shape()), db = Tensor::empty(f.shape());
  Tensor df_gpu = Tensor::empty(f.shape(), DType::float32, kGpu);
  Tensor db_gpu = Tensor::empty(f.shape(), DType::float32, kGpu);
  ops::bidirectional_merge_backward(MergeMode::concat, f, b, d, df, db);
  ops::bidirectional_merge_backward(MergeMode::concat, f.to(kGpu), b.to(kGpu), d.to(kGpu), df_gpu,
                                    db_gpu);
  EXPECT_EQ(on_host(df_gpu), df.to_vector<float>());
  EXPECT_EQ(on_host(db_gpu), db.to_vector<float>());
}

}  // namespace
}  // namespace cuseq
