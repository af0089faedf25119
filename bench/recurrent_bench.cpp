// LSTM and GRU on our fused recurrent ops, in the style of DeepBench: forward
// and training step (forward + backward), input size = hidden size, all
// steps' outputs kept (return_sequences). GPU: against cuDNN's RNN API on the
// same Keras weights (ops::CudnnRnn), plus ours with recurrent_dropout 0.25
// (Keras and cuDNN have no fast path for it) to compare with ours without.
// CPU: against oneDNN's lstm / lbr_gru (Keras' reset_after GRU), training
// forward and for a training step its backward too, on time-major data. GPU, batch <= 16:
// also our persistent kernels (RecurrentAlgorithm::persistent, one launch for all steps), to
// compare with the standard loop and cuDNN of the same arguments. CPU: the persistent loop and
// the standard loop (RecurrentAlgorithm::standard) too, beside `automatic`'s choice.
// Both devices: the pass's GEMMs alone (impl `roofline`), for ours as a
// share of its GEMM-only time.
#include "bench_support.h"

#if defined(CUSEQ_BENCH_WITH_DNNL)
#include <dnnl.hpp>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>
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

// The CPU grid is smaller: it runs in minutes on two cores.
void add_cpu_shapes(benchmark::internal::Benchmark* b) {
  for (const std::int64_t steps : {50, 100}) {
    for (const std::int64_t hidden : {128, 256, 512}) {
      for (const std::int64_t batch : {8, 32, 64}) b->Args({0, batch, hidden, steps});
    }
  }
}

void rnn_shapes(benchmark::internal::Benchmark* b) {
  add_gpu_shapes(b, 128);
  add_cpu_shapes(b);
  b->ArgNames({"gpu", "batch", "hidden", "steps"});
}

void cpu_shapes(benchmark::internal::Benchmark* b) {
  add_cpu_shapes(b);
  b->ArgNames({"gpu", "batch", "hidden", "steps"});
}

// The GPU persistent kernels take batches up to 16; the CPU loop any.
void persistent_shapes(benchmark::internal::Benchmark* b) {
  add_gpu_shapes(b, 16);
  add_cpu_shapes(b);
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
  if (algorithm == RecurrentAlgorithm::persistent) state.SetLabel("persistent");
  if (algorithm == RecurrentAlgorithm::standard) state.SetLabel("standard loop");
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
// oneDNN's lstm / lbr_gru on time-major tnc data and Keras-layout ldigo
// weights: the training forward (it keeps a workspace for backward, as we
// keep a tape), and for a training step its backward too, which writes the
// input and weight gradients as ours does.
class DnnlRnn {
 public:
  DnnlRnn(const RnnShape& s, RnnData& d, bool training)
      : engine_(dnnl::engine::kind::cpu, 0), stream_(engine_), data_(d) {
    const std::int64_t gates = recurrent_gate_count(s.cell), H = s.hidden;
    // Time-major (tnc), oneDNN's own RNN layout: our batch-major buffers are
    // read as time-major (same size, other values), which leaves the work as is.
    const memory::desc layer({s.steps, s.batch, H}, kF32, tag::tnc);
    const memory::desc weights({1, 1, H, gates, H}, kF32, tag::any);
    // LSTM: 4 gate biases; lbr_gru: 3 gates plus the candidate's recurrent bias.
    const memory::desc bias({1, 1, 4, H}, kF32, tag::ldgo);
    keras_weights_ = memory::desc({1, 1, H, gates, H}, kF32, tag::ldigo);
    const memory::desc none;
    const auto direction = dnnl::rnn_direction::unidirectional_left2right;
    if (s.cell == RecurrentCell::lstm) {
      const dnnl::lstm_forward::primitive_desc forward(
          dnnl::lstm_forward::desc(dnnl::prop_kind::forward_training, direction, layer, none, none,
                                   weights, weights, bias, layer, none, none),
          engine_);
      bind_forward(dnnl::lstm_forward(forward), forward);
      if (training) {
        const dnnl::lstm_backward::primitive_desc backward(
            dnnl::lstm_backward::desc(dnnl::prop_kind::backward, direction, layer, none, none,
                                      weights, weights, bias, layer, none, none, layer, none, none,
                                      weights, weights, bias, layer, none, none),
            engine_, forward);
        bind_backward(dnnl::lstm_backward(backward), backward);
      }
    } else {
      const dnnl::lbr_gru_forward::primitive_desc forward(
          dnnl::lbr_gru_forward::desc(dnnl::prop_kind::forward_training, direction, layer, none,
                                      weights, weights, bias, layer, none),
          engine_);
      bind_forward(dnnl::lbr_gru_forward(forward), forward);
      if (training) {
        const dnnl::lbr_gru_backward::primitive_desc backward(
            dnnl::lbr_gru_backward::desc(dnnl::prop_kind::backward, direction, layer, none, weights,
                                         weights, bias, layer, none, layer, none, weights, weights,
                                         bias, layer, none),
            engine_, forward);
        bind_backward(dnnl::lbr_gru_backward(backward), backward);
      }
    }
    bias_values_.assign(static_cast<std::size_t>(4 * H), 0.1f);
    output_ = Tensor::empty(d.d_output.shape());
    d_input_ = Tensor::empty(d.inputs.x.shape());
    const auto wrap = [&](const Tensor& t) {
      return memory(layer, engine_, const_cast<float*>(t.data<float>()));
    };
    forward_args_[DNNL_ARG_SRC_LAYER] = backward_args_[DNNL_ARG_SRC_LAYER] = wrap(d.inputs.x);
    forward_args_[DNNL_ARG_DST_LAYER] = backward_args_[DNNL_ARG_DST_LAYER] = wrap(output_);
    forward_args_[DNNL_ARG_BIAS] = backward_args_[DNNL_ARG_BIAS] =
        memory(bias, engine_, bias_values_.data());
    backward_args_[DNNL_ARG_DIFF_DST_LAYER] = wrap(d.d_output);
    backward_args_[DNNL_ARG_DIFF_SRC_LAYER] = wrap(d_input_);
  }

  const std::string& name() const { return name_; }

  void step(bool training) {
    forward_.execute(stream_, forward_args_);
    if (training) backward_.execute(stream_, backward_args_);
    stream_.wait();
  }

 private:
  using memory = dnnl::memory;
  using tag = memory::format_tag;
  static constexpr auto kF32 = memory::data_type::f32;

  // Our kernel and recurrent kernel in the layout a primitive asked for
  // (packed once, outside the timing).
  memory packed(const Tensor& keras, const memory::desc& wanted) {
    memory source(keras_weights_, engine_, const_cast<float*>(keras.data<float>()));
    memory target(wanted, engine_);
    dnnl::reorder(source, target).execute(stream_, source, target);
    stream_.wait();
    return target;
  }

  template <class Pd>
  void bind_forward(dnnl::primitive primitive, const Pd& pd) {
    forward_ = std::move(primitive);
    name_ = pd.impl_info_str();
    workspace_ = memory(pd.workspace_desc(), engine_);
    forward_args_[DNNL_ARG_WEIGHTS_LAYER] = packed(data_.weights.kernel, pd.weights_layer_desc());
    forward_args_[DNNL_ARG_WEIGHTS_ITER] =
        packed(data_.weights.recurrent_kernel, pd.weights_iter_desc());
    forward_args_[DNNL_ARG_WORKSPACE] = workspace_;
  }

  template <class Pd>
  void bind_backward(dnnl::primitive primitive, const Pd& pd) {
    backward_ = std::move(primitive);
    name_ += " + " + std::string(pd.impl_info_str());
    backward_args_[DNNL_ARG_WEIGHTS_LAYER] = packed(data_.weights.kernel, pd.weights_layer_desc());
    backward_args_[DNNL_ARG_WEIGHTS_ITER] =
        packed(data_.weights.recurrent_kernel, pd.weights_iter_desc());
    backward_args_[DNNL_ARG_WORKSPACE] = workspace_;
    backward_args_[DNNL_ARG_DIFF_WEIGHTS_LAYER] = memory(pd.diff_weights_layer_desc(), engine_);
    backward_args_[DNNL_ARG_DIFF_WEIGHTS_ITER] = memory(pd.diff_weights_iter_desc(), engine_);
    backward_args_[DNNL_ARG_DIFF_BIAS] = memory(pd.diff_bias_desc(), engine_);
  }

  dnnl::engine engine_;
  dnnl::stream stream_;
  RnnData& data_;
  memory::desc keras_weights_;
  memory workspace_;
  dnnl::primitive forward_, backward_;
  std::unordered_map<int, memory> forward_args_, backward_args_;
  std::vector<float> bias_values_;
  Tensor output_, d_input_;
  std::string name_;
};
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
  } else {
#if defined(CUSEQ_BENCH_WITH_DNNL)
    DnnlRnn dnnl_rnn(s, d, training);
    state.SetLabel("oneDNN " + dnnl_rnn.name());
    for (auto _ : state) dnnl_rnn.step(training);
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

// The standard time loop (one BLAS GEMM and one cell kernel per step) on the
// CPU, where `automatic` may pick the persistent loop: the before and after
// of the CPU persistent loop in one binary.
void BM_LSTMForwardStandard_cuseq(benchmark::State& state) {
  run_cuseq(state, RecurrentCell::lstm, false, 0, RecurrentAlgorithm::standard);
}
void BM_LSTMTrainStandard_cuseq(benchmark::State& state) {
  run_cuseq(state, RecurrentCell::lstm, true, 0, RecurrentAlgorithm::standard);
}
void BM_GRUForwardStandard_cuseq(benchmark::State& state) {
  run_cuseq(state, RecurrentCell::gru, false, 0, RecurrentAlgorithm::standard);
}
void BM_GRUTrainStandard_cuseq(benchmark::State& state) {
  run_cuseq(state, RecurrentCell::gru, true, 0, RecurrentAlgorithm::standard);
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
BENCHMARK(BM_LSTMForwardStandard_cuseq)->Apply(cpu_shapes)->UseRealTime();
BENCHMARK(BM_LSTMTrainStandard_cuseq)->Apply(cpu_shapes)->UseRealTime();
BENCHMARK(BM_GRUForwardStandard_cuseq)->Apply(cpu_shapes)->UseRealTime();
BENCHMARK(BM_GRUTrainStandard_cuseq)->Apply(cpu_shapes)->UseRealTime();

}  // namespace
}  // namespace cuseq::bench
