# libcuseq.so from three object libraries, one per layer of DESIGN.md, whose
# include directories allow only the downward arrows:
#   cuseq_core     core/                  sees core
#   cuseq_kernels  kernels/               sees core and kernels
#   cuseq_layers   layers/ and its parts  sees core, kernels and layers
# (layers/distributed/ is a library of its own: layers/distributed/CMakeLists.txt).
# An upward #include ("kernels/backend.h" or <cuseq/gemm_ops.h> in core/) is
# then a compile error, not a convention (Layering.* tests in tests/layering/).
#
# File names choose the build: *.cu and *_cuda.cpp only with the CUDA backend,
# *_without_cuda.cpp only without; cudnn_*_cuda.cpp only with a real CUDA
# toolkit, *_without_cudnn.cpp otherwise (CPU-only and emulated-GPU builds).
set(cuseq_sources "")
foreach(folder IN ITEMS core kernels layers)
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

# What a layer may include. Public headers: <folder>/cuseq/*.h of each part,
# included as "cuseq/*.h" and installed together under include/cuseq.
# Private headers are included by their path from the root
# ("kernels/backend.h", "layers/io/atomic_file.h"): each layer gets a folder of
# the build tree that links to the parts below it and itself, and nothing else,
# in place of the whole source tree.
set(CUSEQ_PUBLIC_HEADER_FOLDERS_core core)
set(CUSEQ_PUBLIC_HEADER_FOLDERS_kernels ${CUSEQ_PUBLIC_HEADER_FOLDERS_core} kernels)
set(CUSEQ_PUBLIC_HEADER_FOLDERS_layers ${CUSEQ_PUBLIC_HEADER_FOLDERS_kernels} layers layers/model
    layers/language_model layers/text layers/data layers/io)
set(CUSEQ_PRIVATE_FOLDERS_core core)
set(CUSEQ_PRIVATE_FOLDERS_kernels core kernels)
set(CUSEQ_PRIVATE_FOLDERS_layers core kernels layers)
set(CUSEQ_HEADER_FOLDERS ${CUSEQ_PUBLIC_HEADER_FOLDERS_layers})
foreach(part IN ITEMS core kernels layers)
  set(view ${PROJECT_BINARY_DIR}/cuseq_include_views/${part})
  file(MAKE_DIRECTORY ${view})
  foreach(folder IN LISTS CUSEQ_PRIVATE_FOLDERS_${part})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${folder} ${view}/${folder} SYMBOLIC)
  endforeach()
endforeach()

# Gives `target` the include directories of `part` (core, kernels or layers):
# for the part's own objects, and for the probes of tests/layering/.
function(cuseq_use_part_includes target part)
  foreach(folder IN LISTS CUSEQ_PUBLIC_HEADER_FOLDERS_${part})
    target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/${folder})
  endforeach()
  target_include_directories(${target} PRIVATE ${PROJECT_BINARY_DIR}/cuseq_include_views/${part})
endfunction()

# How every object of libcuseq is compiled; the parts link it privately.
add_library(cuseq_build_settings INTERFACE)
# -fopenmp-simd: `#pragma omp simd` in the CPU kernels, without OpenMP's
# runtime (the loops run on cuseq's own thread pool, core/thread_pool.cpp).
target_compile_options(cuseq_build_settings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -fopenmp-simd ${CUSEQ_CPU_ARCH_FLAGS}>
  $<$<COMPILE_LANGUAGE:CUDA>:--expt-relaxed-constexpr -Xcompiler=-Wall>)
target_compile_definitions(cuseq_build_settings INTERFACE CUSEQ_VERSION_STRING="${PROJECT_VERSION}")
if(CUSEQ_CPU_DISPATCH)
  target_compile_definitions(cuseq_build_settings INTERFACE CUSEQ_CPU_DISPATCH)
endif()
target_compile_features(cuseq_build_settings INTERFACE cxx_std_17)
target_link_libraries(cuseq_build_settings INTERFACE Threads::Threads nlohmann_json::nlohmann_json)
if(CUSEQ_WITH_KERAS)
  target_include_directories(cuseq_build_settings SYSTEM INTERFACE ${HDF5_C_INCLUDE_DIRS})
  target_link_libraries(cuseq_build_settings INTERFACE PkgConfig::CUSEQ_LIBZIP)
endif()
if(CUSEQ_WITH_CUDA AND NOT CUSEQ_EMULATED_GPU)
  target_compile_definitions(cuseq_build_settings INTERFACE CUSEQ_WITH_CUDA)
  target_link_libraries(cuseq_build_settings INTERFACE CUDA::cudart CUDA::cublas)
endif()
if(CUSEQ_EMULATED_GPU)
  include(CuseqGpuEmulator)
endif()

foreach(part IN ITEMS core kernels layers)
  set(part_sources ${cuseq_sources})
  list(FILTER part_sources INCLUDE REGEX "^${PROJECT_SOURCE_DIR}/${part}/")
  add_library(cuseq_${part} OBJECT ${part_sources})
  set_target_properties(cuseq_${part} PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    CUDA_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    CUDA_SEPARABLE_COMPILATION OFF
    POSITION_INDEPENDENT_CODE ON)
  cuseq_use_part_includes(cuseq_${part} ${part})
  target_link_libraries(cuseq_${part} PRIVATE cuseq_build_settings)
  if(CUSEQ_EMULATED_GPU)
    cuseq_use_gpu_emulator(cuseq_${part} "${part_sources}")
  endif()
endforeach()
target_include_directories(cuseq_kernels PRIVATE ${CUSEQ_CBLAS_INCLUDE_DIR})

add_library(cuseq SHARED $<TARGET_OBJECTS:cuseq_core> $<TARGET_OBJECTS:cuseq_kernels>
                         $<TARGET_OBJECTS:cuseq_layers>)
add_library(cuseq::cuseq ALIAS cuseq)
set_target_properties(cuseq PROPERTIES
  VERSION ${PROJECT_VERSION}
  SOVERSION ${PROJECT_VERSION_MAJOR}
  LINKER_LANGUAGE CXX)
foreach(folder IN LISTS CUSEQ_HEADER_FOLDERS)
  target_include_directories(cuseq PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/${folder}>)
endforeach()
target_include_directories(cuseq PUBLIC $<INSTALL_INTERFACE:include>)
# Users compile against headers that need C++17, whatever their own default.
target_compile_features(cuseq PUBLIC cxx_std_17)
# sqrt without errno in the optimizer steps: with it GCC cannot vectorize their
# loops (nothing reads errno; the values are the same, sqrt is exact either way).
set_property(SOURCE ${PROJECT_SOURCE_DIR}/kernels/optimizer_cpu.cpp APPEND PROPERTY
             COMPILE_OPTIONS -fno-math-errno)
target_link_libraries(cuseq PRIVATE ${CUSEQ_OPENBLAS_LIBRARY} Threads::Threads)
if(CUSEQ_WITH_KERAS)
  target_link_libraries(cuseq PRIVATE ${HDF5_C_LIBRARIES} PkgConfig::CUSEQ_LIBZIP)
endif()
if(CUSEQ_EMULATED_GPU)
  target_link_libraries(cuseq PRIVATE cuseq_gpu_emulator)
elseif(CUSEQ_WITH_CUDA)
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
