// Layer: the unit a Sequential model chains. Keras semantics; explicit
// forward and backward (no general autograd tape).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cuseq/export.h"
#include "cuseq/rng.h"
#include "cuseq/tensor.h"

namespace cuseq {

// Keras' l1 / l2 / l1_l2: penalty = l1 * sum|w| + l2 * sum(w^2).
struct Regularizer {
  double l1 = 0.0;
  double l2 = 0.0;
  bool active() const { return l1 != 0.0 || l2 != 0.0; }
};
CUSEQ_API Regularizer l1(double factor = 0.01);
CUSEQ_API Regularizer l2(double factor = 0.01);
CUSEQ_API Regularizer l1_l2(double l1_factor = 0.01, double l2_factor = 0.01);

// One weight of a layer and its gradient (same shape, dtype and device).
struct Parameter {
  std::string name;  // Keras' name: "kernel", "recurrent_kernel", "bias", "embeddings"
  Tensor value;
  Tensor grad;
  Regularizer regularizer;
};

// A layer's constructor arguments as text, Keras' get_config(): enough to
// rebuild the layer (weights excluded) with create_layer().
using LayerConfig = std::map<std::string, std::string>;

// What a forward pass needs besides the input.
struct ForwardContext {
  bool training = false;
  // [batch, steps] float mask (1 = real step, 0 = padding) from an
  // Embedding(mask_zero) upstream, or undefined.
  Tensor mask;
};

class CUSEQ_API Layer {
 public:
  explicit Layer(std::string name);
  virtual ~Layer();
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;

  const std::string& name() const { return name_; }
  // Keras' class name, e.g. "Dense", for summary() and saved models.
  virtual std::string type() const = 0;
  // Constructor arguments (name and trainable are saved by the model).
  virtual LayerConfig config() const = 0;

  // Creates the weights for inputs of `input_shape` (without the batch axis),
  // of `dtype` on `device`, drawing initial values from `generator`. Called
  // once, by Sequential::build or by the first forward of a layer used alone.
  void build(const Shape& input_shape, DType dtype, Device device, Generator& generator);
  bool built() const { return built_; }
  const Shape& input_shape() const { return input_shape_; }
  DType dtype() const { return dtype_; }
  Device device() const { return device_; }

  // Output shape (without the batch axis) for an input shape (without it).
  virtual Shape output_shape(const Shape& input_shape) const = 0;

  // input: [batch, ...input_shape]. Keeps what backward() needs.
  virtual Tensor forward(const Tensor& input, const ForwardContext& context) = 0;
  // grad_output: dL/d(output of the last forward). ADDS dL/dw into each
  // parameter's grad (callers zero them first; see zero_grad) and returns dL/dinput.
  virtual Tensor backward(const Tensor& grad_output) = 0;
  // The mask for the next layer, given this layer's input and incoming mask
  // (Keras' compute_mask). Default: the mask is consumed (undefined result).
  virtual Tensor output_mask(const Tensor& input, const Tensor& mask) const;

  // Parameters in Keras' get_weights() order.
  std::vector<Parameter*> parameters();
  std::vector<const Parameter*> parameters() const;
  void zero_grad();
  std::int64_t count_params() const;

  // Keras' layer.trainable: a frozen layer's weights are neither updated
  // nor counted as trainable (its backward still returns dL/dinput).
  bool trainable = true;

  // Host copies of the weights in Keras' layout and order.
  std::vector<Tensor> get_weights() const;
  // Checks the count, shapes and dtypes against the layer's weights; any device.
  void set_weights(const std::vector<Tensor>& weights);

  // Activity regularization on this layer's output (Keras' activity_regularizer).
  Regularizer activity_regularizer;

 protected:
  // Subclasses create their weights here (through add_parameter).
  virtual void build_weights(const Shape& input_shape, Generator& generator) = 0;
  // Adds a zero-initialised weight and its gradient; returns it for initialisation.
  Parameter& add_parameter(const std::string& name, const Shape& shape,
                           Regularizer regularizer = {});
  // Throws a cuseq::Error naming this layer unless built.
  void require_built() const;

 private:
  std::string name_;
  bool built_ = false;
  Shape input_shape_;
  DType dtype_ = DType::float32;
  Device device_ = Device::cpu();
  std::vector<std::unique_ptr<Parameter>> parameters_;
};

// A unique default name, Keras style: "dense", "dense_1", ...
CUSEQ_API std::string unique_layer_name(const std::string& prefix);

// Rebuilding layers from saved models: each layer type registers a factory
// under its type() name (a static LayerRegistration in its .cpp file).
using LayerFactory =
    std::function<std::unique_ptr<Layer>(const std::string& name, const LayerConfig&)>;
CUSEQ_API void register_layer_type(const std::string& type, LayerFactory factory);
// Throws a cuseq::Error naming the type when none is registered.
CUSEQ_API std::unique_ptr<Layer> create_layer(const std::string& type, const std::string& name,
                                              const LayerConfig& config);

struct LayerRegistration {
  LayerRegistration(const std::string& type, LayerFactory factory) {
    register_layer_type(type, std::move(factory));
  }
};

}  // namespace cuseq
