// The recurrent ops: argument checks, then the time loop that orders one
// recurrent GEMM and one fused pointwise kernel per step (haste's structure).
// The loop is the same for both backends; only the kernels it calls differ.
#include "cuseq/recurrent_ops.h"

#include <string>

#include "kernels/backend.h"
#include "kernels/dtype_dispatch.h"
#include "kernels/recurrent.h"
#include "kernels/recurrent_persistent.h"

namespace cuseq {

std::string recurrent_cell_name(RecurrentCell cell) {
  return detail::visit_cell(cell, [](auto c) { return std::string(decltype(c)::kName); });
}

int recurrent_gate_count(RecurrentCell cell) { return detail::gate_count(cell); }

Shape recurrent_bias_shape(RecurrentCell cell, std::int64_t units) {
  const std::int64_t width = detail::gate_count(cell) * units;
  return detail::bias_row_count(cell) == 1 ? Shape{width}
                                           : Shape{detail::bias_row_count(cell), width};
}

int recurrent_state_count(RecurrentCell cell) { return detail::carries_cell_state(cell) ? 2 : 1; }

namespace ops {
namespace {

using detail::on_backend;
using detail::RecurrentKernels;
using detail::RecurrentPersistentKernels;

struct Extents {
  std::int64_t batch, steps, features, units, gates;
};

template <class T>
T* data_or_null(const Tensor& t) {
  return t.defined() ? t.data<T>() : nullptr;
}

// The bias rows the step kernels add: [G*units], or GRU's input and recurrent rows.
struct BiasRows {
  Tensor input, recurrent;
};

BiasRows bias_rows(RecurrentCell cell, const Tensor& bias) {
  if (!bias.defined()) return {};
  if (detail::bias_row_count(cell) == 2) return {bias[0], bias[1]};
  return {bias, Tensor()};
}

// `t`, or where it is undefined a tensor of `shape` filled with `value`: the
// step kernels read and write every optional buffer unconditionally (see
// StepForward in recurrent_step.h), so a missing one becomes the value that
// changes nothing (a zero bias, a mask of ones) or scratch nobody reads.
Tensor defined_or_filled(const Tensor& t, const Shape& shape, DType dtype, Device device,
                         double value) {
  if (t.defined()) return t;
  Tensor filled = Tensor::empty(shape, dtype, device);
  fill(filled, value);
  return filled;
}

// The strides of a sequence [batch, steps, units] or of its stand-in
// [batch, units] without return_sequences (see SequenceStrides).
detail::SequenceStrides sequence_strides(const Tensor& sequence) {
  if (sequence.rank() == 3) return {sequence.dim(1) * sequence.dim(2), sequence.dim(2)};
  return {sequence.dim(1), 0};
}

void check_optional(const Tensor& t, const Shape& shape, const Tensor& x, const std::string& op,
                    const std::string& what) {
  if (!t.defined()) return;
  check_shape(t, shape, op, what);
  check_dtype(t, x.dtype(), op, what);
  check_same_device(t, x, op);
}

Extents check_forward(const RecurrentSpec& spec, const RecurrentWeights& w,
                      const RecurrentInputs& in, const std::string& op) {
  check(in.x.defined() && in.x.rank() == 3, op, "expected inputs [batch, steps, features], got ",
        in.x);
  check(in.x.dtype() == DType::float32 || in.x.dtype() == DType::float64, op,
        "expected float32 or float64 inputs, got ", in.x);
  check(in.x.dim(1) >= 1, op, "expected at least one step, got ", in.x);
  check(w.kernel.defined() && w.kernel.rank() == 2 && w.recurrent_kernel.defined(), op,
        "expected a kernel [features, G*units] and a recurrent_kernel");
  const Extents e{in.x.dim(0), in.x.dim(1), in.x.dim(2), w.recurrent_kernel.dim(0),
                  recurrent_gate_count(spec.cell)};
  const std::int64_t width = e.gates * e.units;
  check_optional(w.kernel, Shape{e.features, width}, in.x, op, "kernel");
  check_optional(w.recurrent_kernel, Shape{e.units, width}, in.x, op, "recurrent_kernel");
  check_optional(w.bias, recurrent_bias_shape(spec.cell, e.units), in.x, op, "bias");
  check_optional(in.initial_h, Shape{e.batch, e.units}, in.x, op, "initial state h");
  check(detail::carries_cell_state(spec.cell) || !in.initial_c.defined(), op,
        "only LSTM has a carry state c");
  check_optional(in.initial_c, Shape{e.batch, e.units}, in.x, op, "initial state c");
  check_optional(in.step_mask, Shape{e.batch, e.steps}, in.x, op, "mask");
  check_optional(in.input_mask, Shape{e.batch, e.features}, in.x, op, "dropout mask");
  check_optional(in.recurrent_mask, Shape{e.batch, e.units}, in.x, op, "recurrent dropout mask");
  return e;
}

void copy_or_zero(Tensor& destination, const Tensor& source) {
  if (source.defined()) {
    destination.copy_from(source);
  } else {
    destination.zero();
  }
}

// x * mask[sample] at every step, as a new tensor.
Tensor masked_by_sample(const Tensor& x, const Tensor& mask) {
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  on_backend(x.device(), "recurrent dropout", [&](auto where) {
    RecurrentKernels<decltype(where)>::multiply_by_sample_mask(x, mask, out);
  });
  return out;
}

bool use_persistent(const RecurrentSpec& spec, const Extents& e, DType dtype, Device device,
                    const std::string& op) {
  return detail::use_persistent_algorithm(
      spec.algorithm,
      {spec.cell, spec.activation, spec.recurrent_activation, dtype, e.batch, e.units}, device, op);
}

}  // namespace

RecurrentTape recurrent_forward(const RecurrentSpec& spec, const RecurrentWeights& weights,
                                const RecurrentInputs& in) {
  const std::string op = recurrent_cell_name(spec.cell) + " forward";
  const Extents e = check_forward(spec, weights, in, op);
  const DType dtype = in.x.dtype();
  const Device device = in.x.device();
  const bool persistent = use_persistent(spec, e, dtype, device, op);
  const bool has_cell_state = detail::carries_cell_state(spec.cell);
  const std::int64_t width = e.gates * e.units;
  const int saved_per_unit = detail::saved_count(spec.cell);

  RecurrentTape tape;
  tape.step_mask = in.step_mask;
  tape.input_mask = in.input_mask;
  tape.recurrent_mask = in.recurrent_mask;
  tape.inputs = (in.input_mask.defined() ? masked_by_sample(in.x, in.input_mask) : in.x)
                    .reshape({e.batch * e.steps, e.features});
  // All steps' input projections in one GEMM: [batch*steps, features] x [features, G*units].
  Tensor input_projection = Tensor::empty(Shape{e.batch * e.steps, width}, dtype, device);
  gemm(tape.inputs, false, weights.kernel, false, input_projection);

  tape.states = Tensor::empty(Shape{e.steps + 1, e.batch, e.units}, dtype, device);
  Tensor first_state = tape.states[0];
  copy_or_zero(first_state, in.initial_h);
  if (has_cell_state) {
    tape.cells = Tensor::empty(Shape{e.steps + 1, e.batch, e.units}, dtype, device);
    Tensor first_cell = tape.cells[0];
    copy_or_zero(first_cell, in.initial_c);
  }
  if (in.recurrent_mask.defined()) {
    tape.recurrent_inputs = Tensor::empty(tape.states.shape(), dtype, device);
    Tensor first = tape.recurrent_inputs[0];
    multiply(tape.states[0], in.recurrent_mask, first);
  } else {
    tape.recurrent_inputs = tape.states;
  }
  tape.activations =
      Tensor::empty(Shape{e.steps, e.batch, saved_per_unit * e.units}, dtype, device);
  if (spec.return_sequences)
    tape.output = Tensor::empty(Shape{e.batch, e.steps, e.units}, dtype, device);
  Tensor recurrent_projection = Tensor::empty(Shape{e.batch, width}, dtype, device);
  const BiasRows bias =
      bias_rows(spec.cell, defined_or_filled(weights.bias, recurrent_bias_shape(spec.cell, e.units),
                                             dtype, device, 0.0));
  const Tensor recurrent_mask =
      defined_or_filled(in.recurrent_mask, Shape{e.batch, e.units}, dtype, device, 1.0);
  // Without return_sequences the steps still write their outputs, into scratch.
  const Tensor sequence =
      spec.return_sequences ? tape.output : Tensor::empty(Shape{e.batch, e.units}, dtype, device);

  detail::dispatch_floating(dtype, op, [&](auto tag) {
    using T = typename decltype(tag)::type;
    on_backend(device, op, [&](auto where) {
      detail::StepForward<T> s{};
      s.cell = spec.cell;
      s.activation = spec.activation;
      s.recurrent_activation = spec.recurrent_activation;
      s.batch = e.batch, s.units = e.units, s.steps = e.steps;
      s.input_projection = input_projection.data<T>();
      s.recurrent_projection = recurrent_projection.data<T>();
      s.bias = data_or_null<T>(bias.input);
      s.recurrent_bias = data_or_null<T>(bias.recurrent);
      s.step_mask = data_or_null<T>(in.step_mask);
      s.recurrent_mask = recurrent_mask.data<T>();
      s.sequence = sequence.data<T>();
      s.sequence_strides = sequence_strides(sequence);
      const detail::ForwardBuffers<T> buffers{
          tape.states.data<T>(),           data_or_null<T>(tape.cells),
          tape.recurrent_inputs.data<T>(), tape.activations.data<T>(),
          recurrent_projection.data<T>(),  spec.go_backwards};
      if (persistent) {
        RecurrentPersistentKernels<decltype(where)>::forward(s, buffers,
                                                             weights.recurrent_kernel.data<T>());
        return;
      }
      for (std::int64_t step = 0; step < e.steps; ++step) {
        gemm(tape.recurrent_inputs[step], false, weights.recurrent_kernel, false,
             recurrent_projection);
        detail::set_forward_step(s, buffers, step);
        RecurrentKernels<decltype(where)>::forward_step(s);
      }
    });
  });
  tape.final_h = tape.states[e.steps];
  if (has_cell_state) tape.final_c = tape.cells[e.steps];
  if (!spec.return_sequences) tape.output = tape.final_h;
  return tape;
}

RecurrentInputGradients recurrent_backward(const RecurrentSpec& spec,
                                           const RecurrentWeights& weights,
                                           const RecurrentTape& tape, const Tensor& d_output,
                                           const Tensor& d_final_h, const Tensor& d_final_c,
                                           RecurrentWeights& weight_grads) {
  const std::string op = recurrent_cell_name(spec.cell) + " backward";
  check(tape.states.defined(), op, "no forward pass to differentiate");
  const bool has_cell_state = detail::carries_cell_state(spec.cell);
  const Extents e{tape.states.dim(1), tape.states.dim(0) - 1, tape.inputs.dim(1),
                  tape.states.dim(2), recurrent_gate_count(spec.cell)};
  const DType dtype = tape.states.dtype();
  const Device device = tape.states.device();
  const std::int64_t width = e.gates * e.units;
  const Shape state_shape{e.batch, e.units};
  check_optional(d_output, tape.output.shape(), tape.states, op, "output gradient");
  check_optional(d_final_h, state_shape, tape.states, op, "state gradient h");
  check_optional(d_final_c, state_shape, tape.states, op, "state gradient c");
  check_optional(weight_grads.kernel, weights.kernel.shape(), tape.states, op, "kernel gradient");
  check_optional(weight_grads.recurrent_kernel, weights.recurrent_kernel.shape(), tape.states, op,
                 "recurrent_kernel gradient");
  check(weights.bias.defined() == weight_grads.bias.defined(), op,
        "a bias gradient goes with a bias");
  check_optional(weight_grads.bias, weights.bias.shape(), tape.states, op, "bias gradient");
  const bool persistent = use_persistent(spec, e, dtype, device, op);

  Tensor d_gates_input = Tensor::empty(Shape{e.batch * e.steps, width}, dtype, device);
  Tensor d_gates_recurrent = Tensor::empty(Shape{e.steps, e.batch, width}, dtype, device);
  Tensor d_recurrent = Tensor::zeros(state_shape, dtype, device);
  RecurrentInputGradients result;
  // d_carry starts as dL/d(final h); without return_sequences the output is that h.
  result.d_initial_h = Tensor::empty(state_shape, dtype, device);
  copy_or_zero(result.d_initial_h, d_final_h);
  if (!spec.return_sequences && d_output.defined())
    add(result.d_initial_h, d_output, result.d_initial_h);
  if (has_cell_state) {
    result.d_initial_c = Tensor::empty(state_shape, dtype, device);
    copy_or_zero(result.d_initial_c, d_final_c);
  }
  const Tensor d_sequence = defined_or_filled(spec.return_sequences ? d_output : Tensor(),
                                              state_shape, dtype, device, 0.0);
  const Tensor recurrent_mask =
      defined_or_filled(tape.recurrent_mask, state_shape, dtype, device, 1.0);

  detail::dispatch_floating(dtype, op, [&](auto tag) {
    using T = typename decltype(tag)::type;
    on_backend(device, op, [&](auto where) {
      detail::StepBackward<T> s{};
      s.cell = spec.cell;
      s.activation = spec.activation;
      s.recurrent_activation = spec.recurrent_activation;
      s.batch = e.batch, s.units = e.units, s.steps = e.steps;
      s.step_mask = data_or_null<T>(tape.step_mask);
      s.d_sequence = d_sequence.data<T>();
      s.sequence_strides = sequence_strides(d_sequence);
      s.recurrent_mask = recurrent_mask.data<T>();
      s.d_carry = result.d_initial_h.data<T>();
      s.d_cell = has_cell_state ? result.d_initial_c.data<T>() : nullptr;
      s.d_gates_input = d_gates_input.data<T>();
      const detail::BackwardBuffers<T> buffers{
          tape.states.data<T>(), data_or_null<T>(tape.cells), tape.activations.data<T>(),
          d_recurrent.data<T>(), d_gates_recurrent.data<T>(), spec.go_backwards};
      if (persistent) {
        RecurrentPersistentKernels<decltype(where)>::backward(s, buffers,
                                                              weights.recurrent_kernel.data<T>());
        return;
      }
      for (std::int64_t step = e.steps - 1; step >= 0; --step) {
        detail::set_backward_step(s, buffers, step);
        RecurrentKernels<decltype(where)>::backward_step(s);
        // d(this step's recurrent GEMM input) = d(h R) R^T.
        gemm(d_gates_recurrent[step], false, weights.recurrent_kernel, true, d_recurrent);
      }
    });
  });
  // The first step's recurrent GEMM read initial_h * recurrent_mask.
  if (tape.recurrent_mask.defined()) multiply(d_recurrent, tape.recurrent_mask, d_recurrent);
  add(result.d_initial_h, d_recurrent, result.d_initial_h);

  // Weight gradients over all steps at once.
  const Tensor gates_recurrent = d_gates_recurrent.reshape({e.steps * e.batch, width});
  gemm(tape.inputs, true, d_gates_input, false, weight_grads.kernel, 1.0, 1.0);
  gemm(tape.recurrent_inputs.slice(0, e.steps).reshape({e.steps * e.batch, e.units}), true,
       gates_recurrent, false, weight_grads.recurrent_kernel, 1.0, 1.0);
  if (weight_grads.bias.defined()) {
    const BiasRows rows = bias_rows(spec.cell, weight_grads.bias);
    Tensor input_row = rows.input;
    add(input_row, reduce(Reduction::sum, d_gates_input, 0), input_row);
    if (rows.recurrent.defined()) {
      Tensor recurrent_row = rows.recurrent;
      add(recurrent_row, reduce(Reduction::sum, gates_recurrent, 0), recurrent_row);
    }
  }
  Tensor d_x =
      matmul(d_gates_input, weights.kernel, false, true).reshape({e.batch, e.steps, e.features});
  result.d_x = tape.input_mask.defined() ? masked_by_sample(d_x, tape.input_mask) : d_x;
  return result;
}

}  // namespace ops
}  // namespace cuseq
