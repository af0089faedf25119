// The NCCL communicator: GPU tensors are averaged with ncclAllReduce (ncclAvg)
// on a communication stream that first waits for the device's current stream,
// so each reduction follows the backward kernels that produced its gradients
// and runs beside the backward kernels queued after it, without a host sync. MPI starts
// the processes and carries NCCL's unique id from rank 0 to the others; CPU
// tensors go through MPI.
#include <cuda_runtime.h>
#include <nccl.h>

#include <cstring>

#include "cuseq/communicators.h"
#include "cuseq/error.h"
#include "cuseq/stream.h"

namespace cuseq {
namespace {

void check_nccl(ncclResult_t result, const char* call) {
  check(result == ncclSuccess, "NcclCommunicator", call, " failed: ", ncclGetErrorString(result));
}

// This library sees only libcuseq's public API, hence its own check.
void check_cuda(cudaError_t status, const char* call) {
  check(status == cudaSuccess, "NcclCommunicator", call, " failed: ", cudaGetErrorString(status));
}

class NcclCommunicator final : public Communicator {
 public:
  explicit NcclCommunicator(Device device)
      : device_(device), mpi_(make_mpi_communicator()), comm_stream_(device) {
    check(device.is_cuda(), "make_nccl_communicator", "expected a GPU device, got ", device);
    ncclUniqueId id{};
    if (mpi_->rank() == 0) check_nccl(ncclGetUniqueId(&id), "ncclGetUniqueId");
    Tensor id_bytes = Tensor::zeros(Shape{(sizeof id + 3) / 4}, DType::int32);
    std::memcpy(id_bytes.raw_data(), &id, sizeof id);
    mpi_->broadcast(id_bytes, 0);
    std::memcpy(&id, id_bytes.raw_data(), sizeof id);
    check_cuda(cudaSetDevice(device.index()), "cudaSetDevice");
    check_nccl(ncclCommInitRank(&comm_, mpi_->size(), id, mpi_->rank()), "ncclCommInitRank");
  }
  ~NcclCommunicator() override { ncclCommDestroy(comm_); }

  int rank() const override { return mpi_->rank(); }
  int size() const override { return mpi_->size(); }
  std::string backend() const override { return "nccl"; }

  void broadcast(Tensor& tensor, int root) override {
    if (!on_my_gpu(tensor)) {
      mpi_->broadcast(tensor, root);
      return;
    }
    check(root >= 0 && root < size(), "Communicator::broadcast", "root ", root,
          " out of range for ", size(), " processes");
    check_cuda(cudaSetDevice(device_.index()), "cudaSetDevice");
    check_nccl(ncclBroadcast(tensor.raw_data(), tensor.raw_data(), tensor.nbytes(), ncclChar, root,
                             comm_, stream()),
               "ncclBroadcast");
  }

  void barrier() override {
    synchronize(device_);
    mpi_->barrier();
  }

 protected:
  void start_all_reduce_mean_in_place(Tensor& buffer) override {
    if (!on_my_gpu(buffer)) {
      mpi_->all_reduce_mean({&buffer});
      return;
    }
    check_cuda(cudaSetDevice(device_.index()), "cudaSetDevice");
    stream_wait(device_, comm_stream_.handle(), current_stream_handle(device_));
    check_nccl(ncclAllReduce(buffer.raw_data(), buffer.raw_data(),
                             static_cast<std::size_t>(buffer.numel()),
                             buffer.dtype() == DType::float64 ? ncclFloat64 : ncclFloat32, ncclAvg,
                             comm_, static_cast<cudaStream_t>(comm_stream_.handle())),
               "ncclAllReduce");
  }

  // The compute stream waits for the reductions; the buffers (allocated on
  // it) stay alive until then, so they are not reused under NCCL's feet.
  void finish_all_reduces() override {
    stream_wait(device_, current_stream_handle(device_), comm_stream_.handle());
  }

 private:
  bool on_my_gpu(const Tensor& tensor) const {
    if (tensor.device().is_cpu()) return false;
    check(tensor.device() == device_, "NcclCommunicator", "this communicator reduces tensors on ",
          device_, ", got ", tensor);
    return true;
  }
  cudaStream_t stream() const { return static_cast<cudaStream_t>(current_stream_handle(device_)); }

  Device device_;
  std::unique_ptr<Communicator> mpi_;
  Stream comm_stream_;
  ncclComm_t comm_ = nullptr;
};

}  // namespace

bool built_with_nccl() { return true; }

std::unique_ptr<Communicator> make_nccl_communicator(Device device) {
  return std::make_unique<NcclCommunicator>(device);
}

}  // namespace cuseq
