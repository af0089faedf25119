# GoogleTest: the installed package (Debian's libgtest-dev) or, where none is
# installed (the lent GPU machine), its sources: CUSEQ_GTEST_SOURCE_DIR,
# .deps/googletest (see tools/gpu_check.sh) or Debian's /usr/src/googletest.
find_package(GTest QUIET)
if(NOT GTest_FOUND)
  set(CUSEQ_GTEST_SOURCE_DIR "" CACHE PATH "GoogleTest sources to build when none is installed")
  foreach(candidate ${CUSEQ_GTEST_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/.deps/googletest /usr/src/googletest)
    if(EXISTS ${candidate}/CMakeLists.txt)
      set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
      set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
      add_subdirectory(${candidate} ${PROJECT_BINARY_DIR}/googletest EXCLUDE_FROM_ALL)
      if(NOT TARGET GTest::gtest_main)  # GoogleTest >= 1.11 defines it itself
        add_library(GTest::gtest_main ALIAS gtest_main)
      endif()
      set(GTest_FOUND TRUE)
      break()
    endif()
  endforeach()
  if(NOT GTest_FOUND)
    message(FATAL_ERROR "GoogleTest not found: install libgtest-dev or set CUSEQ_GTEST_SOURCE_DIR, "
                        "or configure with -DCUSEQ_BUILD_TESTS=OFF")
  endif()
endif()
