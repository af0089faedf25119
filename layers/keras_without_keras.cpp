// The Keras file functions of a build without HDF5 and libzip (CUSEQ_KERAS=OFF).
#include "cuseq/keras.h"

namespace cuseq {
namespace {

[[noreturn]] void unavailable(const char* function) {
  fail(function,
       "this cuseq was built without Keras file support (CMake option CUSEQ_KERAS; it needs "
       "Debian's libhdf5-dev and libzip-dev)");
}

}  // namespace

bool keras_files_supported() { return false; }
Sequential load_keras(const std::string&, Device) { unavailable("load_keras"); }
void save_keras(const Sequential&, const std::string&) { unavailable("save_keras"); }
void load_keras_weights(Sequential&, const std::string&) { unavailable("load_keras_weights"); }
void save_keras_weights(const Sequential&, const std::string&) {
  unavailable("save_keras_weights");
}

}  // namespace cuseq
