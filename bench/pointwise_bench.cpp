// A pointwise op (tanh) through cuseq against oneDNN's eltwise primitive on
// the CPU and cuDNN's activation on the GPU, plus a plain copy of the same
// bytes: the memory-bandwidth roofline every pointwise kernel is bounded by.
#include <cstring>

#include "bench_support.h"

#if defined(CUSEQ_BENCH_WITH_DNNL)
#include <dnnl.hpp>
#endif
#if defined(CUSEQ_BENCH_WITH_CUDA)
#include <cuda_runtime.h>
#include <cudnn.h>
#endif

namespace cuseq::bench {
namespace {

// One float read and one written per element.
double pointwise_bytes(std::int64_t count) { return 8.0 * static_cast<double>(count); }

void BM_Tanh_cuseq(benchmark::State& state) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const Tensor x = random_input({state.range(1)}, device);
  Tensor y = Tensor::empty(x.shape(), DType::float32, device);
  for (auto _ : state) {
    ops::activation_forward(Activation::tanh, x, y);
    finish(device);
  }
  report_rates(state, pointwise_bytes(state.range(1)));
}
BENCHMARK(BM_Tanh_cuseq)->Apply(element_counts)->UseRealTime();

void BM_Tanh_reference(benchmark::State& state) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const std::int64_t count = state.range(1);
  const Tensor x = random_input({count}, device);
  Tensor y = Tensor::empty(x.shape(), DType::float32, device);
  if (device.is_cpu()) {
#if defined(CUSEQ_BENCH_WITH_DNNL)
    state.SetLabel("oneDNN eltwise_tanh");
    dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    dnnl::stream stream(engine);
    const dnnl::memory::desc desc({count}, dnnl::memory::data_type::f32,
                                  dnnl::memory::format_tag::a);
    dnnl::memory source(desc, engine, x.data<float>()), destination(desc, engine, y.data<float>());
    const dnnl::eltwise_forward::primitive_desc primitive(
        dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_inference,
                                    dnnl::algorithm::eltwise_tanh, desc, 0.f, 0.f),
        engine);
    dnnl::eltwise_forward tanh_forward(primitive);
    for (auto _ : state) {
      tanh_forward.execute(stream, {{DNNL_ARG_SRC, source}, {DNNL_ARG_DST, destination}});
      stream.wait();
    }
#else
    state.SkipWithError("built without oneDNN (libdnnl-dev)");
    return;
#endif
  } else {
#if defined(CUSEQ_BENCH_WITH_CUDA)
    state.SetLabel("cudnnActivationForward");
    cudnnHandle_t handle = nullptr;
    cudnnCreate(&handle);
    cudnnTensorDescriptor_t desc = nullptr;
    cudnnCreateTensorDescriptor(&desc);
    cudnnSetTensor4dDescriptor(desc, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, 1, 1, 1,
                               static_cast<int>(count));
    cudnnActivationDescriptor_t activation = nullptr;
    cudnnCreateActivationDescriptor(&activation);
    cudnnSetActivationDescriptor(activation, CUDNN_ACTIVATION_TANH, CUDNN_NOT_PROPAGATE_NAN, 0.0);
    const float one = 1.0f, zero = 0.0f;
    for (auto _ : state) {
      cudnnActivationForward(handle, activation, &one, desc, x.data<float>(), &zero, desc,
                             y.data<float>());
      cudaDeviceSynchronize();
    }
    cudnnDestroyActivationDescriptor(activation);
    cudnnDestroyTensorDescriptor(desc);
    cudnnDestroy(handle);
#endif
  }
  report_rates(state, pointwise_bytes(count));
}
BENCHMARK(BM_Tanh_reference)->Apply(element_counts)->UseRealTime();

// The roofline: copying the same bytes (memcpy / cudaMemcpy device to device).
void BM_Tanh_roofline(benchmark::State& state) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const Tensor x = random_input({state.range(1)}, device);
  Tensor y = Tensor::empty(x.shape(), DType::float32, device);
  state.SetLabel("copy");
  for (auto _ : state) {
    y.copy_from(x);
    finish(device);
  }
  report_rates(state, pointwise_bytes(state.range(1)));
}
BENCHMARK(BM_Tanh_roofline)->Apply(element_counts)->UseRealTime();

}  // namespace
}  // namespace cuseq::bench
