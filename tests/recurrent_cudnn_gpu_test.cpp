// Our recurrent CUDA kernels against cuDNN's RNN on the same Keras weights:
// outputs, final states, dL/dx, dL/d(initial states) and every weight gradient.
#include <gtest/gtest.h>

#include "cuseq/cudnn_rnn.h"
#include "recurrent_reference.h"

namespace cuseq {
namespace {

using testing::expect_all_near;
using testing::random_tensor;

const Device kGpu = Device::cuda(0);

std::vector<float> on_host(const Tensor& t) { return t.to(Device::cpu()).to_vector<float>(); }

ops::RecurrentWeights zeros_like(const ops::RecurrentWeights& w) {
  return {Tensor::zeros(w.kernel.shape(), DType::float32, kGpu),
          Tensor::zeros(w.recurrent_kernel.shape(), DType::float32, kGpu),
          Tensor::zeros(w.bias.shape(), DType::float32, kGpu)};
}

void expect_ours_match_cudnn(RecurrentCell cell, bool return_sequences) {
  SCOPED_TRACE(recurrent_cell_name(cell) + (return_sequences ? " sequences" : " final"));
  const std::int64_t batch = 5, steps = 11, features = 24, units = 32;
  const std::int64_t width = recurrent_gate_count(cell) * units;
  ops::RecurrentSpec spec;
  spec.cell = cell;
  spec.return_sequences = return_sequences;
  const ops::RecurrentWeights weights{
      random_tensor<float>({features, width}, 1, kGpu, -0.3, 0.3),
      random_tensor<float>({units, width}, 2, kGpu, -0.3, 0.3),
      random_tensor<float>(cell == RecurrentCell::gru ? Shape{2, width} : Shape{width}, 3, kGpu)};
  ops::RecurrentInputs in;
  in.x = random_tensor<float>({batch, steps, features}, 4, kGpu);
  in.initial_h = random_tensor<float>({batch, units}, 5, kGpu);
  if (cell == RecurrentCell::lstm) in.initial_c = random_tensor<float>({batch, units}, 6, kGpu);

  const ops::RecurrentTape ours = ops::recurrent_forward(spec, weights, in);
  ops::CudnnRnn cudnn(spec, weights, batch, steps);
  const ops::RecurrentTape theirs = cudnn.forward(in.x, in.initial_h, in.initial_c);
  expect_all_near(on_host(ours.output), on_host(theirs.output), 1e-4, "output");
  expect_all_near(on_host(ours.final_h), on_host(theirs.final_h), 1e-4, "final h");
  if (cell == RecurrentCell::lstm) {
    expect_all_near(on_host(ours.final_c), on_host(theirs.final_c), 1e-4, "final c");
  }

  const Tensor d_output = random_tensor<float>(ours.output.shape(), 7, kGpu);
  const Tensor d_h = random_tensor<float>({batch, units}, 8, kGpu);
  const Tensor d_c =
      cell == RecurrentCell::lstm ? random_tensor<float>({batch, units}, 9, kGpu) : Tensor();
  ops::RecurrentWeights our_grads = zeros_like(weights), their_grads = zeros_like(weights);
  const ops::RecurrentInputGradients a =
      ops::recurrent_backward(spec, weights, ours, d_output, d_h, d_c, our_grads);
  const ops::RecurrentInputGradients b = cudnn.backward(d_output, d_h, d_c, their_grads);
  expect_all_near(on_host(a.d_x), on_host(b.d_x), 1e-3, "d x");
  expect_all_near(on_host(a.d_initial_h), on_host(b.d_initial_h), 1e-3, "d initial h");
  if (cell == RecurrentCell::lstm) {
    expect_all_near(on_host(a.d_initial_c), on_host(b.d_initial_c), 1e-3, "d initial c");
  }
  expect_all_near(on_host(our_grads.kernel), on_host(their_grads.kernel), 1e-3, "d kernel");
  expect_all_near(on_host(our_grads.recurrent_kernel), on_host(their_grads.recurrent_kernel), 1e-3,
                  "d recurrent_kernel");
  expect_all_near(on_host(our_grads.bias), on_host(their_grads.bias), 1e-3, "d bias");
}

TEST(RecurrentCudnnGpu, LstmMatchesCudnnOutputsAndAllGradients) {
  CUSEQ_REQUIRE_GPU();
  CUSEQ_REQUIRE_CUDNN();
  expect_ours_match_cudnn(RecurrentCell::lstm, true);
  expect_ours_match_cudnn(RecurrentCell::lstm, false);
}

TEST(RecurrentCudnnGpu, GruMatchesCudnnOutputsAndAllGradients) {
  CUSEQ_REQUIRE_GPU();
  CUSEQ_REQUIRE_CUDNN();
  expect_ours_match_cudnn(RecurrentCell::gru, true);
  expect_ours_match_cudnn(RecurrentCell::gru, false);
}

TEST(RecurrentCudnnGpu, RejectsGoBackwards) {
  CUSEQ_REQUIRE_GPU();
  CUSEQ_REQUIRE_CUDNN();
  ops::RecurrentSpec spec;
  spec.go_backwards = true;
  const ops::RecurrentWeights weights{Tensor::zeros({3, 8}, DType::float32, kGpu),
                                      Tensor::zeros({2, 8}, DType::float32, kGpu), Tensor()};
  testing::expect_error_mentions([&] { ops::CudnnRnn rnn(spec, weights, 1, 1); },
                                 {"CudnnRnn", "go_backwards"});
}

}  // namespace
}  // namespace cuseq
