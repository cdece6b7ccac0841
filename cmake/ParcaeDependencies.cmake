# Third-party dependencies, all from Debian packages (see .ci/run).
find_package(MPI REQUIRED COMPONENTS CXX)
find_package(HDF5 REQUIRED COMPONENTS C)
find_package(Boost 1.74 REQUIRED COMPONENTS program_options)
find_package(OpenMP REQUIRED COMPONENTS CXX)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(GTest REQUIRED)
find_package(Threads REQUIRED)
# XXH3 checksums (libxxhash-dev ships a pkg-config file, no CMake package).
find_package(PkgConfig REQUIRED)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)

# Debian's default libblas is the reference BLAS (~16x slower SGEMM than
# OpenBLAS here), so ask for OpenBLAS by name.
set(BLA_VENDOR OpenBLAS)
find_package(BLAS REQUIRED)
find_path(PARCAE_CBLAS_INCLUDE_DIR cblas.h
  PATHS /usr/include/x86_64-linux-gnu/openblas-pthread /usr/include/openblas
  REQUIRED)
set_property(TARGET BLAS::BLAS APPEND PROPERTY
  INTERFACE_INCLUDE_DIRECTORIES ${PARCAE_CBLAS_INCLUDE_DIR})
