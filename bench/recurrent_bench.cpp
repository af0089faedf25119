// LSTM and GRU on our fused recurrent ops, in the style of DeepBench: forward
// and training step (forward + backward), input size = hidden size, all
// steps' outputs kept (return_sequences). GPU: against cuDNN's RNN API on the
// same Keras weights (ops::CudnnRnn), plus ours with recurrent_dropout 0.25
// (Keras and cuDNN have no fast path for it) to compare with ours without.
// CPU: against oneDNN's lstm / lbr_gru (Keras' reset_after GRU) training
// forward, batch-major data as ours. GPU, batch <= 16: also our persistent
// kernels (RecurrentAlgorithm::persistent, one launch for all steps), to
// compare with the standard loop and cuDNN of the same arguments.
// Both devices: the pass's GEMMs alone (impl `roofline`), for ours as a
// share of its GEMM-only time.
#include "bench_support.h"

#if defined(CUSEQ_BENCH_WITH_DNNL)
#include <dnnl.hpp>
#endif

namespace cuseq::bench {
namespace {

struct RnnShape {
  RecurrentCell cell;
  std::int64_t batch, hidden, steps;
};

RnnShape rnn_shape(const benchmark::State& state, RecurrentCell cell) {
  return RnnShape{cell, state.range(1), state.range(2), state.range(3)};
}

// The GPU grid, batches up to max_batch.
void add_gpu_shapes(benchmark::internal::Benchmark* b, std::int64_t max_batch) {
  for (const std::int64_t steps : {50, 100}) {
    for (const std::int64_t hidden : {256, 512, 1024}) {
      for (const std::int64_t batch : {1, 8, 32, 64, 128}) {
        if (batch <= max_batch) b->Args({1, batch, hidden, steps});
      }
    }
  }
}

void rnn_shapes(benchmark::internal::Benchmark* b) {
  add_gpu_shapes(b, 128);
  // The CPU grid is smaller: it runs in minutes on two cores.
  for (const std::int64_t hidden : {128, 256}) {
    for (const std::int64_t batch : {8, 32}) b->Args({0, batch, hidden, 50});
  }
  b->ArgNames({"gpu", "batch", "hidden", "steps"});
}

// The persistent kernels take batches up to 16.
void persistent_shapes(benchmark::internal::Benchmark* b) {
  add_gpu_shapes(b, 16);
  b->ArgNames({"gpu", "batch", "hidden", "steps"});
}

// GEMM FLOPs of a forward pass; a training step does three times as many.
double forward_flops(const RnnShape& s) {
  const double gates = recurrent_gate_count(s.cell);
  return 2.0 * static_cast<double>(s.steps * s.batch) * gates * static_cast<double>(s.hidden) *
         static_cast<double>(2 * s.hidden);
}

void report(benchmark::State& state, const RnnShape& s, bool training) {
  const double flops = forward_flops(s) * (training ? 3.0 : 1.0);
  state.counters["FLOP/s"] = benchmark::Counter(flops * static_cast<double>(state.iterations()),
                                                benchmark::Counter::kIsRate);
}

struct RnnData {
  ops::RecurrentSpec spec;
  ops::RecurrentWeights weights, grads;
  ops::RecurrentInputs inputs;
  Tensor d_output;
  RnnData(const RnnShape& s, Device device) {
    spec.cell = s.cell;
    spec.return_sequences = true;
    weights = random_recurrent_weights(s.cell, s.hidden, device, 1);
    grads = zero_gradients(weights);
    inputs.x = random_input({s.batch, s.steps, s.hidden}, device, 4);
    d_output = random_input({s.batch, s.steps, s.hidden}, device, 5);
  }
};

void run_cuseq(benchmark::State& state, RecurrentCell cell, bool training, double dropout = 0,
               RecurrentAlgorithm algorithm = RecurrentAlgorithm::automatic) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const RnnShape s = rnn_shape(state, cell);
  RnnData d(s, device);
  d.spec.algorithm = algorithm;
  if (algorithm == RecurrentAlgorithm::persistent) state.SetLabel("persistent kernel");
  if (dropout > 0) {
    d.inputs.recurrent_mask = Tensor::empty({s.batch, s.hidden}, DType::float32, device);
    ops::dropout_mask(dropout, Generator(9).next_stream(), d.inputs.recurrent_mask);
  }
  try {
    for (auto _ : state) {
      const ops::RecurrentTape tape = ops::recurrent_forward(d.spec, d.weights, d.inputs);
      if (training) ops::recurrent_backward(d.spec, d.weights, tape, d.d_output, {}, {}, d.grads);
      finish(device);
    }
  } catch (const Error& error) {  // a shape the persistent kernels cannot take on this GPU
    state.SkipWithError(error.what());
    return;
  }
  report(state, s, training);
}

#if defined(CUSEQ_BENCH_WITH_DNNL)
// oneDNN's training forward (it keeps a workspace for backward, as we keep a
// tape) on batch-major ntc data and Keras-layout ldigo weights.
void run_dnnl(benchmark::State& state, const RnnShape& s, RnnData& d) {
  using dnnl::memory;
  using tag = memory::format_tag;
  const auto f32 = memory::data_type::f32;
  const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  dnnl::stream stream(engine);
  const std::int64_t gates = recurrent_gate_count(s.cell), H = s.hidden;
  const memory::desc src({s.steps, s.batch, H}, f32, tag::tnc);
  const memory::desc dst({s.steps, s.batch, H}, f32, tag::tnc);
  // Weights in the layout oneDNN prefers (packed once, outside the timing),
  // from our Keras-layout [in, G*H] = ldigo.
  const memory::desc keras_weights({1, 1, H, gates, H}, f32, tag::ldigo);
  const memory::desc weights({1, 1, H, gates, H}, f32, tag::any);
  const memory::desc iter_weights({1, 1, H, gates, H}, f32, tag::any);
  // LSTM: 4 gate biases; lbr_gru: 3 gates plus the candidate's recurrent bias.
  const std::int64_t bias_gates = 4;
  const memory::desc bias({1, 1, bias_gates, H}, f32, tag::ldgo);
  const memory::desc none;
  const auto forward = dnnl::prop_kind::forward_training;
  const auto direction = dnnl::rnn_direction::unidirectional_left2right;
  dnnl::primitive primitive;
  memory workspace, weights_m, iter_m;
  std::string name;
  // The packed copies of our kernel and recurrent kernel.
  const auto pack = [&](const auto& pd) {
    weights_m = memory(pd.weights_layer_desc(), engine);
    iter_m = memory(pd.weights_iter_desc(), engine);
    memory kernel(keras_weights, engine, d.weights.kernel.data<float>());
    memory recurrent(keras_weights, engine, d.weights.recurrent_kernel.data<float>());
    dnnl::reorder(kernel, weights_m).execute(stream, kernel, weights_m);
    dnnl::reorder(recurrent, iter_m).execute(stream, recurrent, iter_m);
    stream.wait();
    workspace = memory(pd.workspace_desc(), engine);
    name = pd.impl_info_str();
  };
  if (s.cell == RecurrentCell::lstm) {
    const dnnl::lstm_forward::primitive_desc pd(
        dnnl::lstm_forward::desc(forward, direction, src, none, none, weights, iter_weights, bias,
                                 dst, none, none),
        engine);
    primitive = dnnl::lstm_forward(pd);
    pack(pd);
  } else {
    const dnnl::lbr_gru_forward::primitive_desc pd(
        dnnl::lbr_gru_forward::desc(forward, direction, src, none, weights, iter_weights, bias, dst,
                                    none),
        engine);
    primitive = dnnl::lbr_gru_forward(pd);
    pack(pd);
  }
  std::vector<float> bias_values(static_cast<std::size_t>(bias_gates * H), 0.1f);
  memory src_m(src, engine, d.inputs.x.data<float>());
  memory bias_m(bias, engine, bias_values.data());
  Tensor y = Tensor::empty(d.d_output.shape());
  memory dst_m(dst, engine, y.data<float>());
  state.SetLabel("oneDNN " + name);
  for (auto _ : state) {
    primitive.execute(stream, {{DNNL_ARG_SRC_LAYER, src_m},
                               {DNNL_ARG_WEIGHTS_LAYER, weights_m},
                               {DNNL_ARG_WEIGHTS_ITER, iter_m},
                               {DNNL_ARG_BIAS, bias_m},
                               {DNNL_ARG_DST_LAYER, dst_m},
                               {DNNL_ARG_WORKSPACE, workspace}});
    stream.wait();
  }
}
#endif

void run_reference(benchmark::State& state, RecurrentCell cell, bool training) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const RnnShape s = rnn_shape(state, cell);
  RnnData d(s, device);
  if (device.is_cuda()) {
    ops::CudnnRnn cudnn(d.spec, d.weights, s.batch, s.steps);
    state.SetLabel("cuDNN RNN, " + cudnn.math() + " math");
    for (auto _ : state) {
      cudnn.forward(d.inputs.x);
      if (training) cudnn.backward(d.d_output, {}, {}, d.grads);
      finish(device);
    }
  } else if (training) {
    state.SkipWithError("oneDNN backward not wired: see the PyTorch/Keras CPU references");
    return;
  } else {
#if defined(CUSEQ_BENCH_WITH_DNNL)
    run_dnnl(state, s, d);
#else
    state.SkipWithError("built without oneDNN (libdnnl-dev)");
    return;
#endif
  }
  report(state, s, training);
}

// The same pass's GEMMs alone, through the same GEMM entry as ours (OpenBLAS
// on the CPU, cuBLAS on the GPU) on the same shapes: the roofline the fused
// op approaches (what it adds is its pointwise work and launches). Forward:
// the input projection and one recurrent GEMM per step; a training step adds
// one transposed recurrent GEMM per step, the two weight-gradient GEMMs and
// the input-gradient GEMM (3x the forward FLOPs, as report() counts).
void run_gemm_roofline(benchmark::State& state, RecurrentCell cell, bool training) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const RnnShape s = rnn_shape(state, cell);
  RnnData d(s, device);
  const std::int64_t width = recurrent_gate_count(cell) * s.hidden, rows = s.batch * s.steps;
  const Tensor x = d.inputs.x.reshape({rows, s.hidden});
  const Tensor d_gates = random_input({rows, width}, device, 6);
  Tensor projection = Tensor::empty({rows, width}, DType::float32, device);
  Tensor h = Tensor::zeros({s.batch, s.hidden}, DType::float32, device);
  Tensor step = Tensor::empty({s.batch, width}, DType::float32, device);
  Tensor d_h = Tensor::empty({s.batch, s.hidden}, DType::float32, device);
  Tensor d_x = Tensor::empty({rows, s.hidden}, DType::float32, device);
  for (auto _ : state) {
    ops::gemm(x, false, d.weights.kernel, false, projection);
    for (std::int64_t t = 0; t < s.steps; ++t) {
      ops::gemm(h, false, d.weights.recurrent_kernel, false, step);
    }
    if (training) {
      for (std::int64_t t = 0; t < s.steps; ++t) {
        ops::gemm(step, false, d.weights.recurrent_kernel, true, d_h);
      }
      ops::gemm(x, true, d_gates, false, d.grads.kernel, 1.0, 1.0);
      ops::gemm(x, true, d_gates, false, d.grads.recurrent_kernel, 1.0, 1.0);
      ops::gemm(d_gates, false, d.weights.kernel, true, d_x);
    }
    finish(device);
  }
  state.SetLabel("the pass's GEMMs alone");
  report(state, s, training);
}

void BM_LSTMForward_cuseq(benchmark::State& state) { run_cuseq(state, RecurrentCell::lstm, false); }
void BM_LSTMForward_reference(benchmark::State& state) {
  run_reference(state, RecurrentCell::lstm, false);
}
void BM_LSTMTrain_cuseq(benchmark::State& state) { run_cuseq(state, RecurrentCell::lstm, true); }
void BM_LSTMTrain_reference(benchmark::State& state) {
  run_reference(state, RecurrentCell::lstm, true);
}
void BM_GRUForward_cuseq(benchmark::State& state) { run_cuseq(state, RecurrentCell::gru, false); }
void BM_GRUForward_reference(benchmark::State& state) {
  run_reference(state, RecurrentCell::gru, false);
}
void BM_GRUTrain_cuseq(benchmark::State& state) { run_cuseq(state, RecurrentCell::gru, true); }
void BM_GRUTrain_reference(benchmark::State& state) {
  run_reference(state, RecurrentCell::gru, true);
}
// Compare with BM_<Cell>Train_cuseq of the same arguments: the dropout overhead.
void BM_LSTMTrainRecurrentDropout_cuseq(benchmark::State& state) {
  run_cuseq(state, RecurrentCell::lstm, true, 0.25);
}
void BM_GRUTrainRecurrentDropout_cuseq(benchmark::State& state) {
  run_cuseq(state, RecurrentCell::gru, true, 0.25);
}
// Compare with BM_<Cell><Pass>_cuseq and _reference of the same arguments.
void BM_LSTMForwardPersistent_cuseq(benchmark::State& state) {
  run_cuseq(state, RecurrentCell::lstm, false, 0, RecurrentAlgorithm::persistent);
}
void BM_LSTMTrainPersistent_cuseq(benchmark::State& state) {
  run_cuseq(state, RecurrentCell::lstm, true, 0, RecurrentAlgorithm::persistent);
}
void BM_GRUForwardPersistent_cuseq(benchmark::State& state) {
  run_cuseq(state, RecurrentCell::gru, false, 0, RecurrentAlgorithm::persistent);
}
void BM_GRUTrainPersistent_cuseq(benchmark::State& state) {
  run_cuseq(state, RecurrentCell::gru, true, 0, RecurrentAlgorithm::persistent);
}

void BM_LSTMForward_roofline(benchmark::State& state) {
  run_gemm_roofline(state, RecurrentCell::lstm, false);
}
void BM_LSTMTrain_roofline(benchmark::State& state) {
  run_gemm_roofline(state, RecurrentCell::lstm, true);
}
void BM_GRUForward_roofline(benchmark::State& state) {
  run_gemm_roofline(state, RecurrentCell::gru, false);
}
void BM_GRUTrain_roofline(benchmark::State& state) {
  run_gemm_roofline(state, RecurrentCell::gru, true);
}

BENCHMARK(BM_LSTMForward_cuseq)->Apply(rnn_shapes)->UseRealTime();
BENCHMARK(BM_LSTMForward_reference)->Apply(rnn_shapes)->UseRealTime();
BENCHMARK(BM_LSTMTrain_cuseq)->Apply(rnn_shapes)->UseRealTime();
BENCHMARK(BM_LSTMTrain_reference)->Apply(rnn_shapes)->UseRealTime();
BENCHMARK(BM_GRUForward_cuseq)->Apply(rnn_shapes)->UseRealTime();
BENCHMARK(BM_GRUForward_reference)->Apply(rnn_shapes)->UseRealTime();
BENCHMARK(BM_GRUTrain_cuseq)->Apply(rnn_shapes)->UseRealTime();
BENCHMARK(BM_GRUTrain_reference)->Apply(rnn_shapes)->UseRealTime();
BENCHMARK(BM_LSTMTrainRecurrentDropout_cuseq)->Apply(rnn_shapes)->UseRealTime();
BENCHMARK(BM_GRUTrainRecurrentDropout_cuseq)->Apply(rnn_shapes)->UseRealTime();
BENCHMARK(BM_LSTMForward_roofline)->Apply(rnn_shapes)->UseRealTime();
BENCHMARK(BM_LSTMTrain_roofline)->Apply(rnn_shapes)->UseRealTime();
BENCHMARK(BM_GRUForward_roofline)->Apply(rnn_shapes)->UseRealTime();
BENCHMARK(BM_GRUTrain_roofline)->Apply(rnn_shapes)->UseRealTime();
BENCHMARK(BM_LSTMForwardPersistent_cuseq)->Apply(persistent_shapes)->UseRealTime();
BENCHMARK(BM_LSTMTrainPersistent_cuseq)->Apply(persistent_shapes)->UseRealTime();
BENCHMARK(BM_GRUForwardPersistent_cuseq)->Apply(persistent_shapes)->UseRealTime();
BENCHMARK(BM_GRUTrainPersistent_cuseq)->Apply(persistent_shapes)->UseRealTime();

}  // namespace
}  // namespace cuseq::bench
