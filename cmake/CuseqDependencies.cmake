# CPU dependencies: OpenBLAS (cblas) for GEMM and OpenMP for loops. Debian's
# libopenblas-dev, or the copy tools/prepare_gpu_deps.sh unpacks into
# .deps/openblas on machines without it.
find_package(OpenMP REQUIRED COMPONENTS CXX)
find_path(CUSEQ_CBLAS_INCLUDE_DIR cblas.h
          HINTS ${PROJECT_SOURCE_DIR}/.deps/openblas/include
          PATH_SUFFIXES openblas-pthread openblas x86_64-linux-gnu/openblas-pthread
          REQUIRED)
find_library(CUSEQ_OPENBLAS_LIBRARY NAMES openblas HINTS ${PROJECT_SOURCE_DIR}/.deps/openblas/lib
             REQUIRED)
find_package(Threads REQUIRED)
