# libcuseq.so from core/, kernels/ and layers/ (and its parts: layers/model/,
# layers/language_model/, layers/text/, layers/data/, layers/io/; not
# layers/distributed/, a library of its own). File names choose the build:
# *.cu and *_cuda.cpp only with the CUDA backend, *_without_cuda.cpp only without;
# cudnn_*_cuda.cpp only with a real CUDA toolkit, *_without_cudnn.cpp otherwise
# (CPU-only and emulated-GPU builds).
set(CUSEQ_SOURCE_FOLDERS core kernels layers)
set(cuseq_sources "")
foreach(folder IN LISTS CUSEQ_SOURCE_FOLDERS)
  file(GLOB_RECURSE found CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${folder}/*.cpp
       ${PROJECT_SOURCE_DIR}/${folder}/*.cu)
  list(APPEND cuseq_sources ${found})
endforeach()
set(cuda_sources ${cuseq_sources})
list(FILTER cuda_sources INCLUDE REGEX "(\\.cu|_cuda\\.cpp)$")
list(FILTER cuda_sources EXCLUDE REGEX "_without_cuda\\.cpp$")
set(cpu_only_sources ${cuseq_sources})
list(FILTER cpu_only_sources INCLUDE REGEX "_without_cuda\\.cpp$")
list(FILTER cuseq_sources EXCLUDE REGEX "(\\.cu|_cuda\\.cpp)$")
if(CUSEQ_WITH_CUDA)
  list(APPEND cuseq_sources ${cuda_sources})
else()
  list(APPEND cuseq_sources ${cpu_only_sources})
endif()
# layers/keras/ only with Keras file support, *_without_keras.cpp only without.
if(CUSEQ_WITH_KERAS)
  list(FILTER cuseq_sources EXCLUDE REGEX "_without_keras\\.cpp$")
else()
  list(FILTER cuseq_sources EXCLUDE REGEX "/layers/keras/")
endif()
# cuDNN's files only on a real GPU; the emulated GPU has *_without_cudnn.cpp.
if(CUSEQ_WITH_CUDA AND NOT CUSEQ_EMULATED_GPU)
  list(FILTER cuseq_sources EXCLUDE REGEX "_without_cudnn\\.cpp$")
else()
  list(FILTER cuseq_sources EXCLUDE REGEX "/cudnn_[^/]*_cuda\\.cpp$")
endif()
# The MPI and NCCL communicators are a library of their own (layers/distributed/).
list(FILTER cuseq_sources EXCLUDE REGEX "/layers/distributed/")

add_library(cuseq SHARED ${cuseq_sources})
add_library(cuseq::cuseq ALIAS cuseq)
set_target_properties(cuseq PROPERTIES
  VERSION ${PROJECT_VERSION}
  SOVERSION ${PROJECT_VERSION_MAJOR}
  CXX_VISIBILITY_PRESET hidden
  CUDA_VISIBILITY_PRESET hidden
  VISIBILITY_INLINES_HIDDEN ON
  CUDA_SEPARABLE_COMPILATION OFF
  POSITION_INDEPENDENT_CODE ON)
# Public headers: <folder>/cuseq/*.h of each part, included as "cuseq/*.h"
# and installed together under include/cuseq. Private headers are included
# by their path from the root ("kernels/backend.h", "layers/io/atomic_file.h").
set(CUSEQ_HEADER_FOLDERS core kernels layers layers/model layers/language_model layers/text
    layers/data layers/io)
foreach(folder IN LISTS CUSEQ_HEADER_FOLDERS)
  target_include_directories(cuseq PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/${folder}>)
endforeach()
target_include_directories(cuseq
  PUBLIC $<INSTALL_INTERFACE:include>
  PRIVATE ${PROJECT_SOURCE_DIR} ${CUSEQ_CBLAS_INCLUDE_DIR})
# Users compile against headers that need C++17, whatever their own default.
target_compile_features(cuseq PUBLIC cxx_std_17)
# -fopenmp-simd: `#pragma omp simd` in the CPU kernels, without OpenMP's
# runtime (the loops run on cuseq's own thread pool, core/thread_pool.cpp).
target_compile_options(cuseq PRIVATE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -fopenmp-simd ${CUSEQ_CPU_ARCH_FLAGS}>
  $<$<COMPILE_LANGUAGE:CUDA>:--expt-relaxed-constexpr -Xcompiler=-Wall>)
# sqrt without errno in the optimizer steps: with it GCC cannot vectorize their
# loops (nothing reads errno; the values are the same, sqrt is exact either way).
set_property(SOURCE ${PROJECT_SOURCE_DIR}/kernels/optimizer_cpu.cpp APPEND PROPERTY
             COMPILE_OPTIONS -fno-math-errno)
target_compile_definitions(cuseq PRIVATE CUSEQ_VERSION_STRING="${PROJECT_VERSION}")
if(CUSEQ_CPU_DISPATCH)
  target_compile_definitions(cuseq PRIVATE CUSEQ_CPU_DISPATCH)
endif()
target_link_libraries(cuseq PRIVATE ${CUSEQ_OPENBLAS_LIBRARY} Threads::Threads)
target_link_libraries(cuseq PRIVATE nlohmann_json::nlohmann_json)
if(CUSEQ_WITH_KERAS)
  target_include_directories(cuseq SYSTEM PRIVATE ${HDF5_C_INCLUDE_DIRS})
  target_link_libraries(cuseq PRIVATE ${HDF5_C_LIBRARIES} PkgConfig::CUSEQ_LIBZIP)
endif()
if(CUSEQ_EMULATED_GPU)
  include(CuseqGpuEmulator)
  cuseq_use_gpu_emulator(cuseq "${cuseq_sources}")
elseif(CUSEQ_WITH_CUDA)
  target_compile_definitions(cuseq PRIVATE CUSEQ_WITH_CUDA)
  target_link_libraries(cuseq PRIVATE CUDA::cudart CUDA::cublas)
  if(CUSEQ_CUDNN_LIBRARY)
    target_link_libraries(cuseq PRIVATE ${CUSEQ_CUDNN_LIBRARY})
  endif()
endif()

# Installation: the library, the public headers under include/cuseq, and a CMake
# package so that outside projects do find_package(cuseq) and link cuseq::cuseq.
# Components (the Debian packages of CuseqPackaging.cmake): `runtime` holds
# what programs load, `development` what builds against it.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)
install(TARGETS cuseq EXPORT cuseqTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime
                NAMELINK_COMPONENT development
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
foreach(folder IN LISTS CUSEQ_HEADER_FOLDERS)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${folder}/cuseq DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
          COMPONENT development FILES_MATCHING PATTERN "*.h")
endforeach()
install(EXPORT cuseqTargets NAMESPACE cuseq:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cuseq
        COMPONENT development)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/cuseqConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cuseqConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cuseq)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cuseqConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cuseqConfig.cmake ${PROJECT_BINARY_DIR}/cuseqConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cuseq COMPONENT development)
