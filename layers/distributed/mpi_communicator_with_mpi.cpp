// The MPI communicator: MPI_Iallreduce on host buffers, so buckets reduce
// while the backward pass goes on. GPU tensors travel through a host copy (the NCCL communicator
// avoids that where it is built).
#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <utility>
#include <vector>

#include "cuseq/communicators.h"
#include "cuseq/error.h"
#include "cuseq/ops.h"

namespace cuseq {
namespace {

void check_mpi(int code, const char* call) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  fail("MpiCommunicator", call, " failed: ", std::string(text, static_cast<std::size_t>(length)));
}

// MPI may be initialised once per process: cuseq does it on first use and
// finalises at exit, unless the program initialised MPI itself.
void ensure_mpi_initialized() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (initialized) return;
  int finalized = 0;
  MPI_Finalized(&finalized);
  check(!finalized, "make_mpi_communicator", "MPI was already finalised in this process");
  check_mpi(MPI_Init(nullptr, nullptr), "MPI_Init");
  std::atexit([] {
    int done = 0;
    MPI_Finalized(&done);
    if (!done) MPI_Finalize();
  });
}

MPI_Datatype mpi_type(DType dtype) { return dtype == DType::float64 ? MPI_DOUBLE : MPI_FLOAT; }

class MpiCommunicator final : public Communicator {
 public:
  MpiCommunicator() {
    ensure_mpi_initialized();
    // A private communicator: cuseq's messages never match a program's own.
    check_mpi(MPI_Comm_dup(MPI_COMM_WORLD, &comm_), "MPI_Comm_dup");
    MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN);
    MPI_Comm_rank(comm_, &rank_);
    MPI_Comm_size(comm_, &size_);
  }
  ~MpiCommunicator() override {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Comm_free(&comm_);
  }

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::string backend() const override { return "mpi"; }

  void broadcast(Tensor& tensor, int root) override {
    check(tensor.defined(), "Communicator::broadcast", "undefined tensor");
    check(root >= 0 && root < size_, "Communicator::broadcast", "root ", root, " out of range for ",
          size_, " processes");
    on_host(tensor, [&](Tensor& host) {
      char* bytes = static_cast<char*>(host.raw_data());
      for_each_piece(host.nbytes(), [&](std::size_t begin, int count) {
        check_mpi(MPI_Bcast(bytes + begin, count, MPI_BYTE, root, comm_), "MPI_Bcast");
      });
    });
  }

  void barrier() override { check_mpi(MPI_Barrier(comm_), "MPI_Barrier"); }

 protected:
  void start_all_reduce_mean_in_place(Tensor& buffer) override {
    InFlight reduction{buffer, buffer.device().is_cpu() ? buffer : buffer.to(Device::cpu()), {}};
    Tensor& host = reduction.host;
    const std::size_t element = dtype_size(host.dtype());
    char* bytes = static_cast<char*>(host.raw_data());
    for_each_piece(static_cast<std::size_t>(host.numel()), [&](std::size_t begin, int count) {
      reduction.requests.emplace_back();
      check_mpi(MPI_Iallreduce(MPI_IN_PLACE, bytes + begin * element, count, mpi_type(host.dtype()),
                               MPI_SUM, comm_, &reduction.requests.back()),
                "MPI_Iallreduce");
    });
    in_flight_.push_back(std::move(reduction));
  }

  void finish_all_reduces() override {
    std::vector<InFlight> done = std::move(in_flight_);
    in_flight_.clear();
    for (InFlight& reduction : done) {
      check_mpi(MPI_Waitall(static_cast<int>(reduction.requests.size()), reduction.requests.data(),
                            MPI_STATUSES_IGNORE),
                "MPI_Waitall");
      ops::axpby(1.0 / size_, reduction.host, 0.0, reduction.host, reduction.host);
      if (!reduction.buffer.device().is_cpu()) reduction.buffer.copy_from(reduction.host);
    }
  }

 private:
  // Runs `body` on a host tensor holding `tensor`'s values, then copies them back.
  template <class Body>
  static void on_host(Tensor& tensor, Body&& body) {
    if (tensor.device().is_cpu()) {
      body(tensor);
      return;
    }
    Tensor host = tensor.to(Device::cpu());
    body(host);
    tensor.copy_from(host);
  }

  // MPI counts are int: larger buffers go in pieces.
  template <class Body>
  static void for_each_piece(std::size_t total, Body&& body) {
    constexpr std::size_t kMaxPiece = INT_MAX;
    for (std::size_t begin = 0; begin < total; begin += kMaxPiece) {
      body(begin, static_cast<int>(std::min(kMaxPiece, total - begin)));
    }
  }

  // A started reduction: `host` (== `buffer` for CPU tensors) is summed in place.
  struct InFlight {
    Tensor buffer;
    Tensor host;
    std::vector<MPI_Request> requests;
  };

  MPI_Comm comm_ = MPI_COMM_NULL;
  std::vector<InFlight> in_flight_;
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace

bool built_with_mpi() { return true; }

std::unique_ptr<Communicator> make_mpi_communicator() {
  return std::make_unique<MpiCommunicator>();
}

}  // namespace cuseq
