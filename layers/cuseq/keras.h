// Keras models in and out: Keras 3's .keras archives (a zip holding
// config.json and model.weights.h5) and .weights.h5 files, read and written
// with HDF5, libzip and nlohmann-json. Layer names, configs and weight layouts
// map one to one (docs/keras_compatibility.md).
#pragma once

#include <string>

#include "cuseq/device.h"
#include "cuseq/export.h"
#include "cuseq/sequential.h"

namespace cuseq {

// Whether this build reads and writes Keras files (it needs HDF5 and libzip;
// the CMake option CUSEQ_KERAS). Without them the functions below throw a
// cuseq::Error saying so.
CUSEQ_API bool keras_files_supported();

// A Keras 3 .keras file as a built Sequential on `device`: a Sequential model,
// or a functional model whose layers form one chain, of the layers cuseq has
// (Embedding, Dense, Conv1D, SimpleRNN, LSTM, GRU, Bidirectional, the 1-D
// poolings, Dropout, Flatten, Activation). Another layer, or an option cuseq
// does not support, is a cuseq::Error naming the layer and the option. When
// the file's compile_config names SGD, RMSprop or Adam and a loss and metrics
// cuseq has, the model comes back compiled with those hyperparameters (the
// optimizer's slots start afresh).
CUSEQ_API Sequential load_keras(const std::string& path, Device device = default_device());

// Writes a built model as a .keras file that keras.saving.load_model opens
// (as a Sequential with an input layer), atomically. Keras gives the same
// predictions; compile settings are not written.
CUSEQ_API void save_keras(const Sequential& model, const std::string& path);

// Keras' .weights.h5 (model.save_weights in Keras 3): loads into, or writes
// from, a built model of the same architecture; every shape is checked.
CUSEQ_API void load_keras_weights(Sequential& model, const std::string& path);
CUSEQ_API void save_keras_weights(const Sequential& model, const std::string& path);

}  // namespace cuseq
