# Google Benchmark: the installed package (Debian's libbenchmark-dev) or, where
# none is installed (the lent GPU machine), sources in CUSEQ_BENCHMARK_SOURCE_DIR
# or .deps/benchmark (see tools/gpu_check.sh).
find_package(benchmark QUIET CONFIG)
if(NOT benchmark_FOUND)
  set(CUSEQ_BENCHMARK_SOURCE_DIR "" CACHE PATH "Google Benchmark sources to build when none is installed")
  foreach(candidate ${CUSEQ_BENCHMARK_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/.deps/benchmark)
    if(EXISTS ${candidate}/CMakeLists.txt)
      set(BENCHMARK_ENABLE_TESTING OFF CACHE BOOL "" FORCE)
      set(BENCHMARK_ENABLE_INSTALL OFF CACHE BOOL "" FORCE)
      set(BENCHMARK_ENABLE_GTEST_TESTS OFF CACHE BOOL "" FORCE)
      set(BENCHMARK_ENABLE_WERROR OFF CACHE BOOL "" FORCE)
      add_subdirectory(${candidate} ${PROJECT_BINARY_DIR}/benchmark EXCLUDE_FROM_ALL)
      set(benchmark_FOUND TRUE)
      break()
    endif()
  endforeach()
  if(NOT benchmark_FOUND)
    message(FATAL_ERROR "Google Benchmark not found: install libbenchmark-dev, set "
                        "CUSEQ_BENCHMARK_SOURCE_DIR, or configure with -DCUSEQ_BUILD_BENCHMARKS=OFF")
  endif()
endif()
