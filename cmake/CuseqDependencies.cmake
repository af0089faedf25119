# CPU dependencies: OpenBLAS (cblas) for GEMM (loops run on cuseq's own thread
# pool, core/thread_pool.cpp, hence Threads). Debian's
# libopenblas-dev, or the copy tools/prepare_gpu_deps.sh unpacks into
# .deps/openblas on machines without it.
find_path(CUSEQ_CBLAS_INCLUDE_DIR cblas.h
          HINTS ${PROJECT_SOURCE_DIR}/.deps/openblas/include
          PATH_SUFFIXES openblas-pthread openblas x86_64-linux-gnu/openblas-pthread
          REQUIRED)
find_library(CUSEQ_OPENBLAS_LIBRARY NAMES openblas HINTS ${PROJECT_SOURCE_DIR}/.deps/openblas/lib
             REQUIRED)
find_package(Threads REQUIRED)
# JSON (Tokenizer.to_json, Keras' config.json): Debian's nlohmann-json3-dev,
# header-only (tools/prepare_gpu_deps.sh packs it into .deps/nlohmann).
find_package(nlohmann_json 3.2 REQUIRED HINTS ${PROJECT_SOURCE_DIR}/.deps/nlohmann)
# Keras files (load_keras / save_keras): HDF5 for model.weights.h5 and libzip
# for the .keras archive, Debian's libhdf5-dev and libzip-dev. Linked
# privately: programs that link libcuseq.so need neither's headers.
set(CUSEQ_KERAS AUTO CACHE STRING "Read and write Keras files: AUTO (when HDF5 and libzip are found), ON or OFF")
set_property(CACHE CUSEQ_KERAS PROPERTY STRINGS AUTO ON OFF)
set(CUSEQ_WITH_KERAS OFF)
if(NOT CUSEQ_KERAS STREQUAL "OFF")
  # libzip through pkg-config: Debian's libzip CMake package names tools
  # (zipcmp, ...) that libzip-dev does not install.
  find_package(PkgConfig QUIET)
  if(PKG_CONFIG_FOUND)
    pkg_check_modules(CUSEQ_LIBZIP QUIET IMPORTED_TARGET libzip)
  endif()
  find_package(HDF5 QUIET COMPONENTS C)
  if(HDF5_FOUND AND CUSEQ_LIBZIP_FOUND)
    set(CUSEQ_WITH_KERAS ON)
  elseif(CUSEQ_KERAS STREQUAL "ON")
    message(FATAL_ERROR "CUSEQ_KERAS=ON needs HDF5 and libzip (Debian: libhdf5-dev libzip-dev pkg-config)")
  endif()
endif()
message(STATUS "cuseq: Keras files (HDF5 + libzip): ${CUSEQ_WITH_KERAS}")
