#include "layers/keras/hdf5_weights.h"

#include <hdf5.h>

#include <atomic>

#include "cuseq/error.h"

namespace cuseq::detail {
namespace {

constexpr const char* kWhere = "keras weights";
constexpr int kMaxRank = 8;

// HDF5 prints its own error stack to stderr by default; ours say more.
void silence_hdf5_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

// Closes an HDF5 handle of any kind when it goes out of scope.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

// A distinct name for each in-memory file (the core driver keys open files by name).
std::string memory_file_name() {
  static std::atomic<std::uint64_t> counter{0};
  return "cuseq-in-memory-" + std::to_string(counter++) + ".h5";
}

hid_t memory_type(DType dtype) {
  return dtype == DType::float64 ? H5T_NATIVE_DOUBLE : H5T_NATIVE_FLOAT;
}

}  // namespace

H5WeightsReader::H5WeightsReader(const std::string& bytes, std::string source)
    : source_(std::move(source)) {
  silence_hdf5_errors();
  Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  check(access.valid() && H5Pset_fapl_core(access.get(), 1 << 16, 0) >= 0 &&
            H5Pset_file_image(access.get(), const_cast<char*>(bytes.data()), bytes.size()) >= 0,
        kWhere, "\"", source_, "\": HDF5 cannot take the file's bytes");
  file_ = H5Fopen(memory_file_name().c_str(), H5F_ACC_RDONLY, access.get());
  check(file_ >= 0, kWhere, "\"", source_, "\" is not an HDF5 file (Keras' weights are one)");
}

H5WeightsReader::~H5WeightsReader() {
  if (file_ >= 0) H5Fclose(file_);
}

std::vector<Tensor> H5WeightsReader::read(const std::string& group,
                                          const std::vector<Shape>& shapes, DType dtype) const {
  const std::string vars = group + "/vars";
  std::vector<Tensor> values;
  for (std::size_t i = 0; i <= shapes.size(); ++i) {
    const std::string path = vars + "/" + std::to_string(i);
    const bool exists = H5Lexists(file_, vars.c_str(), H5P_DEFAULT) > 0 &&
                        H5Lexists(file_, path.c_str(), H5P_DEFAULT) > 0;
    if (i == shapes.size()) {
      check(!exists, kWhere, "\"", source_, "\": ", vars, " holds more than the ", shapes.size(),
            " weights the layer has");
      break;
    }
    check(exists, kWhere, "\"", source_, "\": no weight ", path, " (the layer has ", shapes.size(),
          " weights)");
    Handle dataset(H5Dopen2(file_, path.c_str(), H5P_DEFAULT), H5Dclose);
    check(dataset.valid(), kWhere, "\"", source_, "\": ", path, " is not a dataset");
    Handle space(H5Dget_space(dataset.get()), H5Sclose);
    Handle type(H5Dget_type(dataset.get()), H5Tclose);
    const int rank = space.valid() ? H5Sget_simple_extent_ndims(space.get()) : -1;
    check(rank >= 0 && rank <= kMaxRank, kWhere, "\"", source_, "\": ", path,
          " has an unreadable shape");
    hsize_t dims[kMaxRank] = {};
    H5Sget_simple_extent_dims(space.get(), dims, nullptr);
    std::vector<std::int64_t> found(dims, dims + rank);
    check(Shape(found) == shapes[i], kWhere, "\"", source_, "\": ", path, " has shape ",
          Shape(found).str(), ", the layer expects ", shapes[i].str());
    check(type.valid() && H5Tget_class(type.get()) == H5T_FLOAT, kWhere, "\"", source_,
          "\": ", path, " does not hold floating-point numbers");
    Tensor value = Tensor::empty(shapes[i], dtype);
    check(H5Dread(dataset.get(), memory_type(dtype), H5S_ALL, H5S_ALL, H5P_DEFAULT,
                  value.raw_data()) >= 0,
          kWhere, "\"", source_, "\": ", path, " cannot be read");
    values.push_back(std::move(value));
  }
  return values;
}

H5WeightsWriter::H5WeightsWriter() {
  silence_hdf5_errors();
  Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  check(access.valid() && H5Pset_fapl_core(access.get(), 1 << 16, 0) >= 0, kWhere,
        "HDF5 cannot make an in-memory file");
  file_ = H5Fcreate(memory_file_name().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get());
  check(file_ >= 0, kWhere, "HDF5 cannot make an in-memory file");
}

H5WeightsWriter::~H5WeightsWriter() {
  if (file_ >= 0) H5Fclose(file_);
}

void H5WeightsWriter::write(const std::string& group, const std::vector<Tensor>& values) {
  const std::string vars = group.empty() ? "vars" : group + "/vars";
  Handle create(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(create.get(), 1);
  const bool exists = H5Lexists(file_, vars.c_str(), H5P_DEFAULT) > 0;
  Handle target(exists ? H5Gopen2(file_, vars.c_str(), H5P_DEFAULT)
                       : H5Gcreate2(file_, vars.c_str(), create.get(), H5P_DEFAULT, H5P_DEFAULT),
                H5Gclose);
  check(target.valid(), kWhere, "cannot create the group ", vars);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Tensor host = values[i].to(Device::cpu());
    std::vector<hsize_t> dims(host.shape().dims().begin(), host.shape().dims().end());
    Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
    const hid_t stored = host.dtype() == DType::float64 ? H5T_IEEE_F64LE : H5T_IEEE_F32LE;
    const std::string name = std::to_string(i);
    Handle dataset(H5Dcreate2(target.get(), name.c_str(), stored, space.get(), H5P_DEFAULT,
                              H5P_DEFAULT, H5P_DEFAULT),
                   H5Dclose);
    check(dataset.valid() && H5Dwrite(dataset.get(), memory_type(host.dtype()), H5S_ALL, H5S_ALL,
                                      H5P_DEFAULT, host.raw_data()) >= 0,
          kWhere, "cannot write ", vars, "/", name);
  }
}

std::string H5WeightsWriter::bytes() const {
  check(H5Fflush(file_, H5F_SCOPE_GLOBAL) >= 0, kWhere, "HDF5 cannot flush the file");
  const ssize_t size = H5Fget_file_image(file_, nullptr, 0);
  check(size > 0, kWhere, "HDF5 cannot give the file's bytes");
  std::string bytes(static_cast<std::size_t>(size), '\0');
  check(H5Fget_file_image(file_, bytes.data(), bytes.size()) == size, kWhere,
        "HDF5 cannot give the file's bytes");
  return bytes;
}

}  // namespace cuseq::detail
