# CUSEQ_CUDA=EMULATE: the emulated GPU of tests/gpu_emulator/ (CUDA runtime, cuBLAS, cub
# and device code on the CPU, threads as Boost.Context fibers), for running
# every kernel in tests on machines without a GPU. Its objects go into
# libcuseq.so, whose CUDA sources are compiled as C++ against its headers.
find_package(Boost 1.66 REQUIRED COMPONENTS context)

add_library(cuseq_gpu_emulator OBJECT
  ${PROJECT_SOURCE_DIR}/tests/gpu_emulator/src/cublas.cpp
  ${PROJECT_SOURCE_DIR}/tests/gpu_emulator/src/runtime.cpp
  ${PROJECT_SOURCE_DIR}/tests/gpu_emulator/src/scheduler.cpp)
target_include_directories(cuseq_gpu_emulator
  PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/tests/gpu_emulator/include>
  PRIVATE ${CUSEQ_CBLAS_INCLUDE_DIR})
target_link_libraries(cuseq_gpu_emulator PUBLIC Boost::context ${CUSEQ_OPENBLAS_LIBRARY})
target_compile_options(cuseq_gpu_emulator PRIVATE -Wall -Wextra)
# Default visibility: the emulator's API is what the tests' own kernels call.
set_target_properties(cuseq_gpu_emulator PROPERTIES POSITION_INDEPENDENT_CODE ON)

# Builds `target` (from `sources`) for the emulated GPU: .cu files as C++,
# the emulator's objects and headers in place of CUDA's.
function(cuseq_use_gpu_emulator target sources)
  set(cu_sources ${sources})
  list(FILTER cu_sources INCLUDE REGEX "\\.cu$")
  set_source_files_properties(${cu_sources} PROPERTIES LANGUAGE CXX)
  target_compile_definitions(${target} PRIVATE CUSEQ_WITH_CUDA CUSEQ_EMULATED_GPU)
  # `#pragma unroll` is nvcc's; nvcc does not warn on device code's
  # comparisons of threadIdx (unsigned) with int bounds.
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Wno-unknown-pragmas>)
  set_property(SOURCE ${cu_sources} APPEND PROPERTY COMPILE_OPTIONS -Wno-sign-compare)
  target_link_libraries(${target} PRIVATE cuseq_gpu_emulator)
endfunction()
