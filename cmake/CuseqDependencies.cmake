# CPU dependencies: OpenBLAS (cblas) for GEMM and OpenMP for loops.
find_package(OpenMP REQUIRED COMPONENTS CXX)
find_path(CUSEQ_CBLAS_INCLUDE_DIR cblas.h
          PATH_SUFFIXES openblas-pthread openblas x86_64-linux-gnu/openblas-pthread
          REQUIRED)
find_library(CUSEQ_OPENBLAS_LIBRARY NAMES openblas REQUIRED)
find_package(Threads REQUIRED)
