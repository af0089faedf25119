// cuDNN's RNN API (v8/v9) on Keras weights. cuDNN keeps one [units, inputs]
// row-major matrix and two bias vectors per gate (input and recurrent), in its
// own gate order: LSTM i, f, g, o (Keras' i, f, c, o); GRU r, z, h (Keras' z,
// r, h). A Keras kernel [inputs, G*units] is transposed once to [G*units,
// inputs], whose row blocks are then cuDNN's per-gate matrices. LSTM's single
// Keras bias goes to the input bias (recurrent bias zero); GRU's two bias rows
// map to the input and recurrent biases. Data batch-major, padded layout.
#include <cudnn.h>

#include <vector>

#include "core/detail/cuda_check.h"
#include "cuseq/cudnn_rnn.h"
#include "cuseq/ops.h"
#include "kernels/backend.h"
#include "kernels/cuda_launch.h"
#include "kernels/cudnn_handle.h"

namespace cuseq {

bool built_with_cudnn() { return true; }

}  // namespace cuseq

namespace cuseq::ops {
namespace {

using detail::cudnn_handle;
using detail::launch_stream;

// An owned cuDNN descriptor.
template <class Handle, cudnnStatus_t (*Create)(Handle*), cudnnStatus_t (*Destroy)(Handle)>
class Descriptor {
 public:
  Descriptor() { CUSEQ_CUDNN_CHECK(Create(&value_)); }
  ~Descriptor() { Destroy(value_); }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  Handle get() const { return value_; }

 private:
  Handle value_ = nullptr;
};

using RnnDescriptor =
    Descriptor<cudnnRNNDescriptor_t, cudnnCreateRNNDescriptor, cudnnDestroyRNNDescriptor>;
using DataDescriptor = Descriptor<cudnnRNNDataDescriptor_t, cudnnCreateRNNDataDescriptor,
                                  cudnnDestroyRNNDataDescriptor>;
using TensorDescriptor =
    Descriptor<cudnnTensorDescriptor_t, cudnnCreateTensorDescriptor, cudnnDestroyTensorDescriptor>;
using DropoutDescriptor = Descriptor<cudnnDropoutDescriptor_t, cudnnCreateDropoutDescriptor,
                                     cudnnDestroyDropoutDescriptor>;

// Uninitialised GPU bytes (at least one float).
Tensor byte_buffer(std::size_t bytes, Device device) {
  return Tensor::empty(Shape{static_cast<std::int64_t>(bytes / sizeof(float) + 1)}, DType::float32,
                       device);
}

void copy_floats(void* destination, const void* source, std::int64_t count) {
  CUSEQ_CUDA_CHECK(cudaMemcpyAsync(destination, source, count * sizeof(float),
                                   cudaMemcpyDeviceToDevice, launch_stream()));
}

// The Keras gate held by cuDNN's gate `gate` (GRU swaps z and r).
int keras_gate(RecurrentCell cell, int gate) {
  if (cell == RecurrentCell::gru && gate < 2) return 1 - gate;
  return gate;
}

std::int64_t element_count(cudnnTensorDescriptor_t desc) {
  cudnnDataType_t type;
  int rank = 0, dims[8], strides[8];
  CUSEQ_CUDNN_CHECK(cudnnGetTensorNdDescriptor(desc, 8, &type, &rank, dims, strides));
  std::int64_t count = 1;
  for (int d = 0; d < rank; ++d) count *= dims[d];
  return count;
}

void check_input(const Tensor& t, const Shape& shape, const std::string& what) {
  const std::string op = "CudnnRnn";
  check(t.defined(), op, what, " is undefined");
  check_shape(t, shape, op, what);
  check_dtype(t, DType::float32, op, what);
  check(t.device().is_cuda(), op, "cuDNN runs on GPU tensors only, got ", what, " ", t);
}

}  // namespace

struct CudnnRnn::Plan {
  RecurrentSpec spec;
  std::int64_t batch, steps, features, units;
  int gates;
  bool has_bias;
  Device device = Device::cpu();
  std::string math = "FMA";
  cudnnHandle_t handle = nullptr;
  RnnDescriptor rnn;
  DropoutDescriptor dropout;
  DataDescriptor x_desc, y_desc;
  TensorDescriptor h_desc, matrix_desc, bias_desc;
  Tensor sequence_lengths;  // int32 [batch] on the GPU, all `steps`
  std::size_t weight_bytes = 0, work_bytes = 0, reserve_bytes = 0;
  Tensor weights, d_weights, work, reserve;
  Tensor x, y, hx, cx;  // of the last forward, for backward

  // The matrix and bias of cuDNN's linear layer `id` (gate id % G; recurrent
  // when id >= G) inside `space` (the weights or their gradients).
  std::pair<float*, float*> parameters_of(const Tensor& space, int id) {
    void* matrix = nullptr;
    void* bias = nullptr;
    CUSEQ_CUDNN_CHECK(cudnnGetRNNWeightParams(handle, rnn.get(), 0, weight_bytes, space.raw_data(),
                                              id, matrix_desc.get(), &matrix, bias_desc.get(),
                                              &bias));
    const std::int64_t columns = id < gates ? features : units;
    check(matrix != nullptr && element_count(matrix_desc.get()) == units * columns, "CudnnRnn",
          "unexpected cuDNN weight matrix for linear layer ", id);
    check(bias != nullptr && element_count(bias_desc.get()) == units, "CudnnRnn",
          "unexpected cuDNN bias for linear layer ", id);
    return {static_cast<float*>(matrix), static_cast<float*>(bias)};
  }
};

CudnnRnn::CudnnRnn(const RecurrentSpec& spec, const RecurrentWeights& weights, std::int64_t batch,
                   std::int64_t steps)
    : plan_(std::make_unique<Plan>()) {
  const std::string op = "CudnnRnn";
  check(spec.cell == RecurrentCell::lstm || spec.cell == RecurrentCell::gru, op,
        "cuDNN comparison covers LSTM and GRU, got ", recurrent_cell_name(spec.cell));
  check(spec.activation == Activation::tanh && spec.recurrent_activation == Activation::sigmoid, op,
        "cuDNN's cells use tanh and sigmoid only");
  check(!spec.go_backwards, op, "go_backwards is not supported by the cuDNN comparison");
  Plan& p = *plan_;
  p.spec = spec;
  p.gates = recurrent_gate_count(spec.cell);
  p.units = weights.recurrent_kernel.dim(0);
  p.features = weights.kernel.dim(0);
  p.batch = batch;
  p.steps = steps;
  p.has_bias = weights.bias.defined();
  p.device = weights.kernel.device();
  const std::int64_t width = p.gates * p.units;
  check_input(weights.kernel, Shape{p.features, width}, "kernel");
  check_input(weights.recurrent_kernel, Shape{p.units, width}, "recurrent_kernel");
  if (p.has_bias) {
    check_input(weights.bias, recurrent_bias_shape(spec.cell, p.units), "bias");
  }
  detail::select_gpu(p.device);
  p.handle = cudnn_handle();

  // No dropout between layers (there is one layer): no RNG states needed.
  CUSEQ_CUDNN_CHECK(cudnnSetDropoutDescriptor(p.dropout.get(), p.handle, 0.0f, nullptr, 0, 0));
  const auto set_rnn = [&](cudnnMathType_t math) {
    return cudnnSetRNNDescriptor_v8(
        p.rnn.get(), CUDNN_RNN_ALGO_STANDARD,
        spec.cell == RecurrentCell::lstm ? CUDNN_LSTM : CUDNN_GRU, CUDNN_RNN_DOUBLE_BIAS,
        CUDNN_UNIDIRECTIONAL, CUDNN_LINEAR_INPUT, CUDNN_DATA_FLOAT, CUDNN_DATA_FLOAT, math,
        static_cast<int32_t>(p.features), static_cast<int32_t>(p.units),
        static_cast<int32_t>(p.units), 1, p.dropout.get(), CUDNN_RNN_PADDED_IO_ENABLED);
  };
  if (set_rnn(CUDNN_FMA_MATH) != CUDNN_STATUS_SUCCESS) {
    p.math = "default";
    CUSEQ_CUDNN_CHECK(set_rnn(CUDNN_DEFAULT_MATH));
  }

  const std::vector<int> lengths(static_cast<std::size_t>(batch), static_cast<int>(steps));
  p.sequence_lengths = Tensor::from_vector(
      std::vector<std::int32_t>(lengths.begin(), lengths.end()), Shape{batch}, p.device);
  float padding = 0.0f;
  CUSEQ_CUDNN_CHECK(cudnnSetRNNDataDescriptor(
      p.x_desc.get(), CUDNN_DATA_FLOAT, CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED,
      static_cast<int>(steps), static_cast<int>(batch), static_cast<int>(p.features),
      lengths.data(), &padding));
  CUSEQ_CUDNN_CHECK(cudnnSetRNNDataDescriptor(p.y_desc.get(), CUDNN_DATA_FLOAT,
                                              CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED,
                                              static_cast<int>(steps), static_cast<int>(batch),
                                              static_cast<int>(p.units), lengths.data(), &padding));
  const int state_dims[3] = {1, static_cast<int>(batch), static_cast<int>(p.units)};
  const int state_strides[3] = {static_cast<int>(batch * p.units), static_cast<int>(p.units), 1};
  CUSEQ_CUDNN_CHECK(
      cudnnSetTensorNdDescriptor(p.h_desc.get(), CUDNN_DATA_FLOAT, 3, state_dims, state_strides));

  CUSEQ_CUDNN_CHECK(cudnnGetRNNWeightSpaceSize(p.handle, p.rnn.get(), &p.weight_bytes));
  CUSEQ_CUDNN_CHECK(cudnnGetRNNTempSpaceSizes(p.handle, p.rnn.get(), CUDNN_FWD_MODE_TRAINING,
                                              p.x_desc.get(), &p.work_bytes, &p.reserve_bytes));
  p.weights = byte_buffer(p.weight_bytes, p.device);
  p.d_weights = byte_buffer(p.weight_bytes, p.device);
  p.work = byte_buffer(p.work_bytes, p.device);
  p.reserve = byte_buffer(p.reserve_bytes, p.device);
  p.weights.zero();  // biases stay zero where Keras has none

  // Keras [inputs, G*units] -> [G*units, inputs]: gate g's cuDNN matrix is row block g.
  const Tensor kernel_rows = swap_leading_axes(weights.kernel);
  const Tensor recurrent_rows = swap_leading_axes(weights.recurrent_kernel);
  for (int id = 0; id < 2 * p.gates; ++id) {
    const bool recurrent = id >= p.gates;
    const int gate = keras_gate(spec.cell, id % p.gates);
    const auto [matrix, bias] = p.parameters_of(p.weights, id);
    const Tensor& rows = recurrent ? recurrent_rows : kernel_rows;
    const std::int64_t columns = recurrent ? p.units : p.features;
    copy_floats(matrix, rows.data<float>() + gate * p.units * columns, p.units * columns);
    if (!p.has_bias) continue;
    if (spec.cell == RecurrentCell::gru) {
      copy_floats(bias, weights.bias.data<float>() + (recurrent ? width : 0) + gate * p.units,
                  p.units);
    } else if (!recurrent) {
      copy_floats(bias, weights.bias.data<float>() + gate * p.units, p.units);
    }
  }
}

CudnnRnn::~CudnnRnn() = default;

const std::string& CudnnRnn::math() const { return plan_->math; }

RecurrentTape CudnnRnn::forward(const Tensor& x, const Tensor& initial_h, const Tensor& initial_c) {
  Plan& p = *plan_;
  const Shape state{p.batch, p.units};
  check_input(x, Shape{p.batch, p.steps, p.features}, "x");
  if (initial_h.defined()) check_input(initial_h, state, "initial_h");
  if (initial_c.defined()) check_input(initial_c, state, "initial_c");
  const bool lstm = p.spec.cell == RecurrentCell::lstm;
  detail::select_gpu(p.device);
  p.x = x;
  p.hx = initial_h;
  p.cx = lstm ? initial_c : Tensor();
  p.y = Tensor::empty(Shape{p.batch, p.steps, p.units}, DType::float32, p.device);
  RecurrentTape tape;
  tape.final_h = Tensor::empty(state, DType::float32, p.device);
  if (lstm) tape.final_c = Tensor::empty(state, DType::float32, p.device);
  const auto pointer = [](const Tensor& t) { return t.defined() ? t.raw_data() : nullptr; };
  CUSEQ_CUDNN_CHECK(cudnnRNNForward(
      cudnn_handle(), p.rnn.get(), CUDNN_FWD_MODE_TRAINING, p.sequence_lengths.data<std::int32_t>(),
      p.x_desc.get(), x.raw_data(), p.y_desc.get(), p.y.raw_data(), p.h_desc.get(), pointer(p.hx),
      tape.final_h.raw_data(), p.h_desc.get(), pointer(p.cx), pointer(tape.final_c), p.weight_bytes,
      p.weights.raw_data(), p.work_bytes, p.work.raw_data(), p.reserve_bytes,
      p.reserve.raw_data()));
  tape.output = p.spec.return_sequences ? p.y : tape.final_h;
  return tape;
}

RecurrentInputGradients CudnnRnn::backward(const Tensor& d_output, const Tensor& d_final_h,
                                           const Tensor& d_final_c,
                                           RecurrentWeights& weight_grads) {
  Plan& p = *plan_;
  check(p.y.defined(), "CudnnRnn", "backward called before forward");
  const bool lstm = p.spec.cell == RecurrentCell::lstm;
  const Shape state{p.batch, p.units}, sequence{p.batch, p.steps, p.units};
  detail::select_gpu(p.device);
  // cuDNN takes dL/dy for every step and dL/d(final h): without
  // return_sequences the output is the final h.
  Tensor dy = Tensor::zeros(sequence, DType::float32, p.device);
  Tensor dhy = Tensor::zeros(state, DType::float32, p.device);
  if (d_output.defined()) {
    check_input(d_output, p.spec.return_sequences ? sequence : state, "d_output");
    if (p.spec.return_sequences) {
      dy = d_output;
    } else {
      add(dhy, d_output, dhy);
    }
  }
  if (d_final_h.defined()) {
    check_input(d_final_h, state, "d_final_h");
    add(dhy, d_final_h, dhy);
  }
  if (d_final_c.defined()) check_input(d_final_c, state, "d_final_c");
  const Tensor dcy = lstm && d_final_c.defined() ? d_final_c : Tensor();

  RecurrentInputGradients result;
  result.d_x = Tensor::empty(Shape{p.batch, p.steps, p.features}, DType::float32, p.device);
  result.d_initial_h = Tensor::empty(state, DType::float32, p.device);
  if (lstm) result.d_initial_c = Tensor::empty(state, DType::float32, p.device);
  const auto pointer = [](const Tensor& t) { return t.defined() ? t.raw_data() : nullptr; };
  cudnnHandle_t handle = cudnn_handle();
  CUSEQ_CUDNN_CHECK(cudnnRNNBackwardData_v8(
      handle, p.rnn.get(), p.sequence_lengths.data<std::int32_t>(), p.y_desc.get(), p.y.raw_data(),
      dy.raw_data(), p.x_desc.get(), result.d_x.raw_data(), p.h_desc.get(), pointer(p.hx),
      dhy.raw_data(), result.d_initial_h.raw_data(), p.h_desc.get(), pointer(p.cx), pointer(dcy),
      pointer(result.d_initial_c), p.weight_bytes, p.weights.raw_data(), p.work_bytes,
      p.work.raw_data(), p.reserve_bytes, p.reserve.raw_data()));
  // BackwardWeights only adds (CUDNN_WGRAD_MODE_ADD): start from zero.
  p.d_weights.zero();
  CUSEQ_CUDNN_CHECK(cudnnRNNBackwardWeights_v8(
      handle, p.rnn.get(), CUDNN_WGRAD_MODE_ADD, p.sequence_lengths.data<std::int32_t>(),
      p.x_desc.get(), p.x.raw_data(), p.h_desc.get(), pointer(p.hx), p.y_desc.get(), p.y.raw_data(),
      p.weight_bytes, p.d_weights.raw_data(), p.work_bytes, p.work.raw_data(), p.reserve_bytes,
      p.reserve.raw_data()));

  // Back to Keras' layout: gate blocks of [G*units, columns], then transposed.
  const std::int64_t width = p.gates * p.units;
  Tensor kernel_rows = Tensor::empty(Shape{width, p.features}, DType::float32, p.device);
  Tensor recurrent_rows = Tensor::empty(Shape{width, p.units}, DType::float32, p.device);
  Tensor bias = Tensor::zeros(recurrent_bias_shape(p.spec.cell, p.units), DType::float32, p.device);
  for (int id = 0; id < 2 * p.gates; ++id) {
    const bool recurrent = id >= p.gates;
    const int gate = keras_gate(p.spec.cell, id % p.gates);
    const auto [matrix, d_bias] = p.parameters_of(p.d_weights, id);
    Tensor& rows = recurrent ? recurrent_rows : kernel_rows;
    const std::int64_t columns = recurrent ? p.units : p.features;
    copy_floats(rows.data<float>() + gate * p.units * columns, matrix, p.units * columns);
    // LSTM: Keras' one bias feeds both of cuDNN's; either one's gradient is its gradient.
    if (p.spec.cell == RecurrentCell::gru || !recurrent) {
      copy_floats(bias.data<float>() + (recurrent ? width : 0) + gate * p.units, d_bias, p.units);
    }
  }
  if (weight_grads.kernel.defined()) {
    add(weight_grads.kernel, swap_leading_axes(kernel_rows), weight_grads.kernel);
  }
  if (weight_grads.recurrent_kernel.defined()) {
    add(weight_grads.recurrent_kernel, swap_leading_axes(recurrent_rows),
        weight_grads.recurrent_kernel);
  }
  if (weight_grads.bias.defined() && p.has_bias) add(weight_grads.bias, bias, weight_grads.bias);
  return result;
}

}  // namespace cuseq::ops
