// Conv1D and pooling kernels: ours against cuDNN (cudnnConvolutionForward, in
// the same binary) on the GPU and oneDNN's direct convolution / pooling on the
// CPU, on the same channels-last data (oneDNN nwc/wio, the layouts we take).
// Shapes: the two convolutions of the IMDB convnet (Keras book, batch 32) and
// a wider "same" convolution.
#include "bench_support.h"

#if defined(CUSEQ_BENCH_WITH_DNNL)
#include <dnnl.hpp>
#endif

namespace cuseq::bench {
namespace {

struct ConvShape {
  std::int64_t batch, steps, channels, filters, kernel_size;
  Padding padding;
};

ConvShape conv_shape(const benchmark::State& state) {
  return ConvShape{state.range(1), state.range(2),
                   state.range(3), state.range(4),
                   state.range(5), state.range(6) == 0 ? Padding::valid : Padding::same};
}

void conv_shapes(benchmark::internal::Benchmark* b) {
  for (const std::int64_t device : {0, 1}) {
    b->Args({device, 32, 500, 128, 32, 7, 0});
    b->Args({device, 32, 98, 32, 32, 7, 0});
    b->Args({device, 16, 1000, 256, 256, 3, 1});
    // The Conv1D(64, 5) of bench/epoch_bench.cpp's text classifier.
    b->Args({device, 32, 100, 32, 64, 5, 0});
  }
  b->ArgNames({"gpu", "batch", "steps", "channels", "filters", "kernel", "same"});
}

Window1d window_of(const ConvShape& s) { return Window1d{s.steps, s.kernel_size, 1, 1, s.padding}; }

double conv_flops(const ConvShape& s) {
  return 2.0 * static_cast<double>(s.batch * window_of(s).output_steps() * s.filters *
                                   s.kernel_size * s.channels);
}

double conv_bytes(const ConvShape& s) {
  return 4.0 * static_cast<double>(s.batch * s.steps * s.channels +
                                   s.kernel_size * s.channels * s.filters +
                                   s.batch * window_of(s).output_steps() * s.filters);
}

struct ConvData {
  Tensor x, kernel, bias, y, dy, dx, dkernel, dbias;
  ConvData(const ConvShape& s, Device device)
      : x(random_input({s.batch, s.steps, s.channels}, device, 1)),
        kernel(random_input({s.kernel_size, s.channels, s.filters}, device, 2)),
        bias(random_input({s.filters}, device, 3)),
        y(Tensor::empty({s.batch, window_of(s).output_steps(), s.filters}, DType::float32, device)),
        dy(random_input(y.shape(), device, 4)),
        dx(Tensor::empty(x.shape(), DType::float32, device)),
        dkernel(Tensor::zeros(kernel.shape(), DType::float32, device)),
        dbias(Tensor::zeros(bias.shape(), DType::float32, device)) {}
};

void BM_Conv1dForward_cuseq(benchmark::State& state) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const ConvShape s = conv_shape(state);
  ConvData d(s, device);
  for (auto _ : state) {
    ops::conv1d_forward(d.x, d.kernel, d.bias, window_of(s), d.y);
    finish(device);
  }
  report_rates(state, conv_bytes(s), conv_flops(s));
}
BENCHMARK(BM_Conv1dForward_cuseq)->Apply(conv_shapes)->UseRealTime();

#if defined(CUSEQ_BENCH_WITH_DNNL)
// oneDNN's forward-inference convolution on nwc input, wio weights, nwc output.
void run_dnnl_conv(benchmark::State& state, const ConvShape& s, ConvData& d) {
  using dnnl::memory;
  const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  dnnl::stream stream(engine);
  const Window1d w = window_of(s);
  const std::int64_t pad_right =
      std::max<std::int64_t>((w.output_steps() - 1) + s.kernel_size - s.steps - w.pad_left(), 0);
  const memory::desc src({s.batch, s.channels, s.steps}, memory::data_type::f32,
                         memory::format_tag::nwc);
  const memory::desc weights({s.filters, s.channels, s.kernel_size}, memory::data_type::f32,
                             memory::format_tag::wio);
  const memory::desc bias({s.filters}, memory::data_type::f32, memory::format_tag::a);
  const memory::desc dst({s.batch, s.filters, w.output_steps()}, memory::data_type::f32,
                         memory::format_tag::nwc);
  const dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference,
                                             dnnl::algorithm::convolution_direct, src, weights,
                                             bias, dst, {1}, {0}, {w.pad_left()}, {pad_right});
  const dnnl::convolution_forward::primitive_desc pd(desc, engine);
  dnnl::convolution_forward conv(pd);
  memory src_m(src, engine, d.x.data<float>()), weights_m(weights, engine, d.kernel.data<float>()),
      bias_m(bias, engine, d.bias.data<float>()), dst_m(dst, engine, d.y.data<float>());
  state.SetLabel(std::string("oneDNN ") + pd.impl_info_str());
  for (auto _ : state) {
    conv.execute(stream, {{DNNL_ARG_SRC, src_m},
                          {DNNL_ARG_WEIGHTS, weights_m},
                          {DNNL_ARG_BIAS, bias_m},
                          {DNNL_ARG_DST, dst_m}});
    stream.wait();
  }
}
#endif

void BM_Conv1dForward_reference(benchmark::State& state) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const ConvShape s = conv_shape(state);
  ConvData d(s, device);
  if (device.is_cuda()) {
    state.SetLabel("cudnnConvolutionForward");
    for (auto _ : state) {
      ops::conv1d_forward_cudnn(d.x, d.kernel, d.bias, window_of(s), d.y);
      finish(device);
    }
  } else {
#if defined(CUSEQ_BENCH_WITH_DNNL)
    run_dnnl_conv(state, s, d);
#else
    state.SkipWithError("built without oneDNN (libdnnl-dev)");
    return;
#endif
  }
  report_rates(state, conv_bytes(s), conv_flops(s));
}
BENCHMARK(BM_Conv1dForward_reference)->Apply(conv_shapes)->UseRealTime();

void BM_Conv1dBackwardInput_cuseq(benchmark::State& state) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const ConvShape s = conv_shape(state);
  ConvData d(s, device);
  for (auto _ : state) {
    ops::conv1d_backward_input(d.dy, d.kernel, window_of(s), d.dx);
    finish(device);
  }
  report_rates(state, conv_bytes(s), conv_flops(s));
}
BENCHMARK(BM_Conv1dBackwardInput_cuseq)->Apply(conv_shapes)->UseRealTime();

void BM_Conv1dBackwardWeights_cuseq(benchmark::State& state) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const ConvShape s = conv_shape(state);
  ConvData d(s, device);
  for (auto _ : state) {
    ops::conv1d_backward_weights(d.x, d.dy, window_of(s), d.dkernel, d.dbias);
    finish(device);
  }
  report_rates(state, conv_bytes(s), conv_flops(s));
}
BENCHMARK(BM_Conv1dBackwardWeights_cuseq)->Apply(conv_shapes)->UseRealTime();

// Max pooling of the IMDB convnet's first feature map ([32, 494, 32], pool 5)
// and a global max over a long sequence.
void pool_shapes(benchmark::internal::Benchmark* b) {
  for (const std::int64_t device : {0, 1}) {
    b->Args({device, 32, 494, 32, 5});
    b->Args({device, 32, 2000, 256, 2000});
  }
  b->ArgNames({"gpu", "batch", "steps", "channels", "pool"});
}

struct PoolData {
  Window1d window;
  Tensor x, y, argmax, dy, dx;
  PoolData(const benchmark::State& state, Device device)
      : window{state.range(2), state.range(4), state.range(4), 1, Padding::valid},
        x(random_input({state.range(1), state.range(2), state.range(3)}, device, 1)),
        y(Tensor::empty({state.range(1), window.output_steps(), state.range(3)}, DType::float32,
                        device)),
        argmax(Tensor::empty(y.shape(), DType::int32, device)),
        dy(random_input(y.shape(), device, 2)),
        dx(Tensor::empty(x.shape(), DType::float32, device)) {}
};

void BM_MaxPool1dForward_cuseq(benchmark::State& state) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  PoolData d(state, device);
  for (auto _ : state) {
    ops::max_pool1d_forward(d.x, d.window, d.y, d.argmax);
    finish(device);
  }
  report_rates(state, static_cast<double>(d.x.nbytes() + d.y.nbytes() + d.argmax.nbytes()));
}
BENCHMARK(BM_MaxPool1dForward_cuseq)->Apply(pool_shapes)->UseRealTime();

void BM_MaxPool1dForward_reference(benchmark::State& state) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  if (device.is_cuda()) {
    state.SkipWithError("no cuDNN pooling comparison yet");
    return;
  }
#if defined(CUSEQ_BENCH_WITH_DNNL)
  using dnnl::memory;
  PoolData d(state, device);
  const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  dnnl::stream stream(engine);
  const memory::desc src({d.x.dim(0), d.x.dim(2), d.x.dim(1)}, memory::data_type::f32,
                         memory::format_tag::nwc);
  const memory::desc dst({d.y.dim(0), d.y.dim(2), d.y.dim(1)}, memory::data_type::f32,
                         memory::format_tag::nwc);
  // Training mode, so that oneDNN also writes its workspace (the argmax), as ours does.
  const dnnl::pooling_forward::desc desc(dnnl::prop_kind::forward_training,
                                         dnnl::algorithm::pooling_max, src, dst, {d.window.stride},
                                         {d.window.window}, {0}, {0});
  const dnnl::pooling_forward::primitive_desc pd(desc, engine);
  dnnl::pooling_forward pool(pd);
  memory src_m(src, engine, d.x.data<float>()), dst_m(dst, engine, d.y.data<float>());
  memory workspace(pd.workspace_desc(), engine);
  state.SetLabel(std::string("oneDNN ") + pd.impl_info_str());
  for (auto _ : state) {
    pool.execute(stream,
                 {{DNNL_ARG_SRC, src_m}, {DNNL_ARG_DST, dst_m}, {DNNL_ARG_WORKSPACE, workspace}});
    stream.wait();
  }
  report_rates(state, static_cast<double>(d.x.nbytes() + d.y.nbytes() + d.argmax.nbytes()));
#else
  state.SkipWithError("built without oneDNN (libdnnl-dev)");
#endif
}
BENCHMARK(BM_MaxPool1dForward_reference)->Apply(pool_shapes)->UseRealTime();

void BM_MaxPool1dBackward_cuseq(benchmark::State& state) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  PoolData d(state, device);
  ops::max_pool1d_forward(d.x, d.window, d.y, d.argmax);
  for (auto _ : state) {
    ops::max_pool1d_backward(d.dy, d.argmax, d.window, d.dx);
    finish(device);
  }
  report_rates(state, static_cast<double>(d.dy.nbytes() + d.argmax.nbytes() + d.dx.nbytes()));
}
BENCHMARK(BM_MaxPool1dBackward_cuseq)->Apply(pool_shapes)->UseRealTime();

void BM_AveragePool1dForward_cuseq(benchmark::State& state) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  PoolData d(state, device);
  for (auto _ : state) {
    ops::average_pool1d_forward(d.x, d.window, d.y);
    finish(device);
  }
  report_rates(state, static_cast<double>(d.x.nbytes() + d.y.nbytes()));
}
BENCHMARK(BM_AveragePool1dForward_cuseq)->Apply(pool_shapes)->UseRealTime();

}  // namespace
}  // namespace cuseq::bench
