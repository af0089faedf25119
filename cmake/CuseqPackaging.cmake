# Debian packages from the install components (CuseqLibrary.cmake):
#   libcuseq0     runtime: libcuseq.so.0, libcuseq_distributed.so.0, cuseq-tokenize, cuseq-train-lm
#   libcuseq-dev  development: headers, the .so links and the CMake package
# Configure with -DCMAKE_INSTALL_PREFIX=/usr (Debian's multiarch libdir), build,
# then `cpack -G DEB` in the build folder. dpkg-shlibdeps derives the runtime
# package's dependencies from the libraries it links (OpenBLAS, Open MPI, the
# C++ runtime; the CUDA toolkit's own libraries are not Debian packages and are
# left out), and the -dev package requires the runtime of the same version.
# tools/check_debian_packages.sh builds, installs and uses both.
set(CPACK_PACKAGE_NAME cuseq)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "cuseq developers <cuseq@localhost>")
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime development)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME libcuseq${PROJECT_VERSION_MAJOR})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME libcuseq-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
    "Keras-like sequence models in C++: shared libraries and command-line tools")
set(CPACK_COMPONENT_DEVELOPMENT_DESCRIPTION
    "Keras-like sequence models in C++: headers and CMake package (find_package(cuseq))")
include(CPack)
cpack_add_component(runtime)
cpack_add_component(development DEPENDS runtime)
