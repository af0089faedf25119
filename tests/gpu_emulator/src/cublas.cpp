// cuBLAS on the emulated GPU: each GEMM is OpenBLAS' column-major GEMM on the
// same pointers, after the checks cuBLAS makes (leading dimensions at least
// the stored rows) and one it cannot make (every element an operand covers
// lies in its device allocation; OpenBLAS is not instrumented, so
// AddressSanitizer would not see its reads). A wrong leading dimension or
// transpose thus multiplies the wrong numbers or is refused with the operand
// named, as a GPU run would fail with wrong results or an illegal address.
#include <cblas.h>
#include <cublas_v2.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "cuseq_emulator/device_memory.h"
#include "runtime_state.h"

struct cublasContext {
  cudaStream_t stream = nullptr;
};

namespace cuseq::emulator {
namespace {

// Live handles. Like the driver, the emulator owns them until they are
// destroyed, even when a program keeps one to its exit (cuseq does).
struct Handles {
  std::mutex mutex;
  std::set<cublasHandle_t> live;
};

Handles& handles() {
  static auto* const instance = new Handles();  // never destroyed: used until exit
  return *instance;
}

std::size_t element_bytes(cudaDataType_t type) {
  switch (type) {
    case CUDA_R_64F:
      return 8;
    case CUDA_R_32F:
      return 4;
    case CUDA_R_16F:
    case CUDA_R_16BF:
      return 2;
  }
  return 0;
}

// A column-major matrix as cuBLAS reads it: `rows` x `columns` stored with
// leading dimension `ld` (the rows of op(X) before the transpose).
struct Matrix {
  const char* name;
  const void* data;
  cudaDataType_t type;
  int rows, columns, ld;

  std::size_t span_bytes() const {
    if (rows == 0 || columns == 0) return 0;
    return (static_cast<std::size_t>(columns - 1) * static_cast<std::size_t>(ld) +
            static_cast<std::size_t>(rows)) *
           element_bytes(type);
  }
  std::size_t offset(int row, int column) const {
    return static_cast<std::size_t>(column) * static_cast<std::size_t>(ld) +
           static_cast<std::size_t>(row);
  }
};

struct Gemm {
  const char* call;
  cublasOperation_t transa, transb;
  int m, n, k;
  Matrix a, b, c;
};

Gemm describe(const char* call, cublasOperation_t transa, cublasOperation_t transb, int m, int n,
              int k, const void* a, cudaDataType_t a_type, int lda, const void* b,
              cudaDataType_t b_type, int ldb, void* c, cudaDataType_t c_type, int ldc) {
  const bool ta = transa != CUBLAS_OP_N, tb = transb != CUBLAS_OP_N;
  return {call,
          transa,
          transb,
          m,
          n,
          k,
          {"A", a, a_type, ta ? k : m, ta ? m : k, lda},
          {"B", b, b_type, tb ? n : k, tb ? k : n, ldb},
          {"C", c, c_type, m, n, ldc}};
}

bool valid_operation(cublasOperation_t op) {
  return op == CUBLAS_OP_N || op == CUBLAS_OP_T || op == CUBLAS_OP_C;
}

// cuBLAS' own argument checks.
cublasStatus_t check_arguments(cublasHandle_t handle, const Gemm& g, int batch_count) {
  if (handle == nullptr) return CUBLAS_STATUS_NOT_INITIALIZED;
  if (!valid_operation(g.transa) || !valid_operation(g.transb) || g.m < 0 || g.n < 0 || g.k < 0 ||
      batch_count < 0 || g.a.ld < std::max(1, g.a.rows) || g.b.ld < std::max(1, g.b.rows) ||
      g.c.ld < std::max(1, g.c.rows)) {
    report(std::string(g.call) + ": invalid argument (m " + std::to_string(g.m) + ", n " +
           std::to_string(g.n) + ", k " + std::to_string(g.k) + ", lda " + std::to_string(g.a.ld) +
           ", ldb " + std::to_string(g.b.ld) + ", ldc " + std::to_string(g.c.ld) + ")");
    return CUBLAS_STATUS_INVALID_VALUE;
  }
  return CUBLAS_STATUS_SUCCESS;
}

// The emulator's: every element an operand covers is in its device allocation.
cublasStatus_t check_ranges(const Gemm& g) {
  for (const Matrix* matrix : {&g.a, &g.b, &g.c}) {
    const std::size_t bytes = matrix == &g.c || g.k > 0 ? matrix->span_bytes() : 0;
    if (bytes == 0) continue;
    if (const std::string problem = device_range_problem(matrix->data, bytes); !problem.empty()) {
      report(std::string(g.call) + " operand " + matrix->name + " (" +
             std::to_string(matrix->rows) + " x " + std::to_string(matrix->columns) +
             ", leading dimension " + std::to_string(matrix->ld) + "): " + problem);
      return CUBLAS_STATUS_EXECUTION_FAILED;
    }
  }
  return CUBLAS_STATUS_SUCCESS;
}

CBLAS_TRANSPOSE to_cblas(cublasOperation_t op) {
  return op == CUBLAS_OP_N ? CblasNoTrans : CblasTrans;
}

// cuBLAS reads no element of C when beta is 0 (NaN there does not spread).
template <class T>
void scale_c(const Matrix& c, T beta) {
  T* values = static_cast<T*>(const_cast<void*>(c.data));
  for (int column = 0; column < c.columns; ++column) {
    for (int row = 0; row < c.rows; ++row) {
      T& value = values[c.offset(row, column)];
      value = beta == T(0) ? T(0) : beta * value;
    }
  }
}

void gemm(const Gemm& g, float alpha, float beta) {
  if (g.k == 0 || alpha == 0.0f || beta == 0.0f) scale_c(g.c, beta);
  if (g.k == 0 || alpha == 0.0f) return;
  cblas_sgemm(CblasColMajor, to_cblas(g.transa), to_cblas(g.transb), g.m, g.n, g.k, alpha,
              static_cast<const float*>(g.a.data), g.a.ld, static_cast<const float*>(g.b.data),
              g.b.ld, beta == 0.0f ? 0.0f : beta, static_cast<float*>(const_cast<void*>(g.c.data)),
              g.c.ld);
}

void gemm(const Gemm& g, double alpha, double beta) {
  if (g.k == 0 || alpha == 0.0 || beta == 0.0) scale_c(g.c, beta);
  if (g.k == 0 || alpha == 0.0) return;
  cblas_dgemm(CblasColMajor, to_cblas(g.transa), to_cblas(g.transb), g.m, g.n, g.k, alpha,
              static_cast<const double*>(g.a.data), g.a.ld, static_cast<const double*>(g.b.data),
              g.b.ld, beta, static_cast<double*>(const_cast<void*>(g.c.data)), g.c.ld);
}

float widen(const void* data, cudaDataType_t type, std::size_t index) {
  if (type == CUDA_R_32F) return static_cast<const float*>(data)[index];
  std::uint16_t bits = 0;
  std::memcpy(&bits, static_cast<const unsigned char*>(data) + 2 * index, 2);
  if (type == CUDA_R_16BF) {
    const std::uint32_t wide = static_cast<std::uint32_t>(bits) << 16;
    float value = 0.0f;
    std::memcpy(&value, &wide, 4);
    return value;
  }
  _Float16 half;
  std::memcpy(&half, &bits, 2);
  return static_cast<float>(half);
}

// Float32 to a 16-bit C, rounded to nearest even as cuBLAS stores it.
void narrow(float value, cudaDataType_t type, void* data, std::size_t index) {
  if (type == CUDA_R_32F) {
    static_cast<float*>(data)[index] = value;
    return;
  }
  std::uint16_t bits = 0;
  if (type == CUDA_R_16BF) {
    std::uint32_t wide = 0;
    std::memcpy(&wide, &value, 4);
    bits = value != value
               ? static_cast<std::uint16_t>((wide >> 16) | 0x40u)
               : static_cast<std::uint16_t>((wide + 0x7FFFu + ((wide >> 16) & 1u)) >> 16);
  } else {
    const _Float16 half = static_cast<_Float16>(value);
    std::memcpy(&bits, &half, 2);
  }
  std::memcpy(static_cast<unsigned char*>(data) + 2 * index, &bits, 2);
}

// A matrix widened to a dense float32 copy (leading dimension = rows).
std::vector<float> widened(const Matrix& matrix) {
  std::vector<float> values(static_cast<std::size_t>(matrix.rows) * matrix.columns);
  for (int column = 0; column < matrix.columns; ++column) {
    for (int row = 0; row < matrix.rows; ++row) {
      values[static_cast<std::size_t>(column) * matrix.rows + row] =
          widen(matrix.data, matrix.type, matrix.offset(row, column));
    }
  }
  return values;
}

void gemm_ex(const Gemm& g, float alpha, float beta) {
  std::vector<float> a = widened(g.a), b = widened(g.b), c = widened(g.c);
  Gemm dense = g;
  dense.a.data = a.data(), dense.a.ld = std::max(1, g.a.rows), dense.a.type = CUDA_R_32F;
  dense.b.data = b.data(), dense.b.ld = std::max(1, g.b.rows), dense.b.type = CUDA_R_32F;
  dense.c.data = c.data(), dense.c.ld = std::max(1, g.c.rows), dense.c.type = CUDA_R_32F;
  gemm(dense, alpha, beta);
  for (int column = 0; column < g.c.columns; ++column) {
    for (int row = 0; row < g.c.rows; ++row) {
      narrow(c[static_cast<std::size_t>(column) * g.c.rows + row], g.c.type,
             const_cast<void*>(g.c.data), g.c.offset(row, column));
    }
  }
}

bool supported_ex(cudaDataType_t a_type, cudaDataType_t b_type, cudaDataType_t c_type,
                  cublasComputeType_t compute_type) {
  const bool operands =
      a_type == b_type && (a_type == CUDA_R_32F || a_type == CUDA_R_16F || a_type == CUDA_R_16BF);
  const bool result = c_type == CUDA_R_32F || c_type == a_type;
  const bool compute =
      compute_type == CUBLAS_COMPUTE_32F || compute_type == CUBLAS_COMPUTE_32F_PEDANTIC;
  return operands && result && compute;
}

// The batch-th GEMM of a strided batch: the same shape, operands moved by
// their strides (in elements).
Gemm batch_item(Gemm g, int item, long long stride_a, long long stride_b, long long stride_c) {
  const auto move = [item](Matrix& matrix, long long stride) {
    matrix.data =
        static_cast<const unsigned char*>(matrix.data) +
        static_cast<long long>(item) * stride * static_cast<long long>(element_bytes(matrix.type));
  };
  move(g.a, stride_a), move(g.b, stride_b), move(g.c, stride_c);
  return g;
}

// `compute` runs one checked GEMM of the batch.
template <class Compute>
cublasStatus_t for_each_in_batch(cublasHandle_t handle, const Gemm& g, long long stride_a,
                                 long long stride_b, long long stride_c, int batch_count,
                                 const Compute& compute) {
  if (const cublasStatus_t status = check_arguments(handle, g, batch_count);
      status != CUBLAS_STATUS_SUCCESS) {
    return status;
  }
  for (int item = 0; item < batch_count; ++item) {
    const Gemm one = batch_item(g, item, stride_a, stride_b, stride_c);
    if (const cublasStatus_t status = check_ranges(one); status != CUBLAS_STATUS_SUCCESS) {
      return status;
    }
    compute(one);
  }
  return CUBLAS_STATUS_SUCCESS;
}

template <class T>
cublasStatus_t strided_batched(cublasHandle_t handle, const Gemm& g, T alpha, T beta,
                               long long stride_a, long long stride_b, long long stride_c,
                               int batch_count) {
  return for_each_in_batch(handle, g, stride_a, stride_b, stride_c, batch_count,
                           [&](const Gemm& one) { gemm(one, alpha, beta); });
}

}  // namespace
}  // namespace cuseq::emulator

using cuseq::emulator::describe;

cublasStatus_t cublasCreate(cublasHandle_t* handle) {
  *handle = new cublasContext();
  const std::lock_guard<std::mutex> lock(cuseq::emulator::handles().mutex);
  cuseq::emulator::handles().live.insert(*handle);
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasDestroy(cublasHandle_t handle) {
  {
    const std::lock_guard<std::mutex> lock(cuseq::emulator::handles().mutex);
    if (cuseq::emulator::handles().live.erase(handle) == 0) return CUBLAS_STATUS_NOT_INITIALIZED;
  }
  delete handle;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetStream(cublasHandle_t handle, cudaStream_t stream) {
  if (handle == nullptr) return CUBLAS_STATUS_NOT_INITIALIZED;
  if (stream != nullptr && !cuseq::emulator::is_live_stream(stream)) {
    return CUBLAS_STATUS_INVALID_VALUE;
  }
  handle->stream = stream;
  return CUBLAS_STATUS_SUCCESS;
}

// Workspace is for split-K partial sums, which OpenBLAS keeps to itself.
cublasStatus_t cublasSetWorkspace(cublasHandle_t handle, void* workspace, std::size_t bytes) {
  if (handle == nullptr) return CUBLAS_STATUS_NOT_INITIALIZED;
  if (bytes > 0 && !cuseq::emulator::device_range_problem(workspace, bytes).empty()) {
    return CUBLAS_STATUS_INVALID_VALUE;
  }
  return CUBLAS_STATUS_SUCCESS;
}

const char* cublasGetStatusName(cublasStatus_t status) {
  switch (status) {
    case CUBLAS_STATUS_SUCCESS:
      return "CUBLAS_STATUS_SUCCESS";
    case CUBLAS_STATUS_NOT_INITIALIZED:
      return "CUBLAS_STATUS_NOT_INITIALIZED";
    case CUBLAS_STATUS_ALLOC_FAILED:
      return "CUBLAS_STATUS_ALLOC_FAILED";
    case CUBLAS_STATUS_INVALID_VALUE:
      return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_EXECUTION_FAILED:
      return "CUBLAS_STATUS_EXECUTION_FAILED";
    case CUBLAS_STATUS_NOT_SUPPORTED:
      return "CUBLAS_STATUS_NOT_SUPPORTED";
  }
  return "CUBLAS_STATUS_UNKNOWN";
}

const char* cublasGetStatusString(cublasStatus_t status) {
  switch (status) {
    case CUBLAS_STATUS_SUCCESS:
      return "success";
    case CUBLAS_STATUS_NOT_INITIALIZED:
      return "the library was not initialized";
    case CUBLAS_STATUS_ALLOC_FAILED:
      return "the resource allocation failed";
    case CUBLAS_STATUS_INVALID_VALUE:
      return "an invalid numeric value was used as an argument";
    case CUBLAS_STATUS_EXECUTION_FAILED:
      return "the GPU program failed to execute (the emulator printed why above)";
    case CUBLAS_STATUS_NOT_SUPPORTED:
      return "the functionality requested is not supported";
  }
  return "unknown error";
}

cublasStatus_t cublasSgemm(cublasHandle_t handle, cublasOperation_t transa,
                           cublasOperation_t transb, int m, int n, int k, const float* alpha,
                           const float* a, int lda, const float* b, int ldb, const float* beta,
                           float* c, int ldc) {
  return cuseq::emulator::strided_batched(
      handle,
      describe("cublasSgemm", transa, transb, m, n, k, a, CUDA_R_32F, lda, b, CUDA_R_32F, ldb, c,
               CUDA_R_32F, ldc),
      *alpha, *beta, 0, 0, 0, 1);
}

cublasStatus_t cublasDgemm(cublasHandle_t handle, cublasOperation_t transa,
                           cublasOperation_t transb, int m, int n, int k, const double* alpha,
                           const double* a, int lda, const double* b, int ldb, const double* beta,
                           double* c, int ldc) {
  return cuseq::emulator::strided_batched(
      handle,
      describe("cublasDgemm", transa, transb, m, n, k, a, CUDA_R_64F, lda, b, CUDA_R_64F, ldb, c,
               CUDA_R_64F, ldc),
      *alpha, *beta, 0, 0, 0, 1);
}

cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa,
                                         cublasOperation_t transb, int m, int n, int k,
                                         const float* alpha, const float* a, int lda,
                                         long long stride_a, const float* b, int ldb,
                                         long long stride_b, const float* beta, float* c, int ldc,
                                         long long stride_c, int batch_count) {
  return cuseq::emulator::strided_batched(
      handle,
      describe("cublasSgemmStridedBatched", transa, transb, m, n, k, a, CUDA_R_32F, lda, b,
               CUDA_R_32F, ldb, c, CUDA_R_32F, ldc),
      *alpha, *beta, stride_a, stride_b, stride_c, batch_count);
}

cublasStatus_t cublasDgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa,
                                         cublasOperation_t transb, int m, int n, int k,
                                         const double* alpha, const double* a, int lda,
                                         long long stride_a, const double* b, int ldb,
                                         long long stride_b, const double* beta, double* c, int ldc,
                                         long long stride_c, int batch_count) {
  return cuseq::emulator::strided_batched(
      handle,
      describe("cublasDgemmStridedBatched", transa, transb, m, n, k, a, CUDA_R_64F, lda, b,
               CUDA_R_64F, ldb, c, CUDA_R_64F, ldc),
      *alpha, *beta, stride_a, stride_b, stride_c, batch_count);
}

cublasStatus_t cublasGemmStridedBatchedEx(cublasHandle_t handle, cublasOperation_t transa,
                                          cublasOperation_t transb, int m, int n, int k,
                                          const void* alpha, const void* a, cudaDataType_t a_type,
                                          int lda, long long stride_a, const void* b,
                                          cudaDataType_t b_type, int ldb, long long stride_b,
                                          const void* beta, void* c, cudaDataType_t c_type, int ldc,
                                          long long stride_c, int batch_count,
                                          cublasComputeType_t compute_type, cublasGemmAlgo_t) {
  using namespace cuseq::emulator;
  if (!supported_ex(a_type, b_type, c_type, compute_type)) return CUBLAS_STATUS_NOT_SUPPORTED;
  const Gemm g = describe("cublasGemmEx", transa, transb, m, n, k, a, a_type, lda, b, b_type, ldb,
                          c, c_type, ldc);
  const float alpha_value = *static_cast<const float*>(alpha);
  const float beta_value = *static_cast<const float*>(beta);
  return for_each_in_batch(handle, g, stride_a, stride_b, stride_c, batch_count,
                           [&](const Gemm& one) { gemm_ex(one, alpha_value, beta_value); });
}

cublasStatus_t cublasGemmEx(cublasHandle_t handle, cublasOperation_t transa,
                            cublasOperation_t transb, int m, int n, int k, const void* alpha,
                            const void* a, cudaDataType_t a_type, int lda, const void* b,
                            cudaDataType_t b_type, int ldb, const void* beta, void* c,
                            cudaDataType_t c_type, int ldc, cublasComputeType_t compute_type,
                            cublasGemmAlgo_t algo) {
  return cublasGemmStridedBatchedEx(handle, transa, transb, m, n, k, alpha, a, a_type, lda, 0, b,
                                    b_type, ldb, 0, beta, c, c_type, ldc, 0, 1, compute_type, algo);
}
