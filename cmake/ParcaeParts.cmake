# One static library per part of the system: src/<part>/*.cpp, headers under
# include/parcae/<part>/, unit tests tests/<part>/*_test.cpp in one GoogleTest
# binary per part (parcae_<part>_tests), each test registered with ctest.
set(PARCAE_PARTS "" CACHE INTERNAL "")
get_filename_component(PARCAE_SHARED_DIR ${PROJECT_SOURCE_DIR}/../shared ABSOLUTE)

# parcae_add_part(NAME [DEPENDS part...] [LINK target...])
function(parcae_add_part name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LINK" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  if(NOT sources)
    message(STATUS "parcae: part ${name} has no sources yet; skipped")
    return()
  endif()
  add_library(parcae_${name} STATIC ${sources})
  target_include_directories(parcae_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include)
  target_compile_definitions(parcae_${name} PUBLIC PARCAE_VERSION="${PROJECT_VERSION}")
  target_link_libraries(parcae_${name} PUBLIC nlohmann_json::nlohmann_json ${ARG_LINK})
  # util (atomic files, ...) is the one part every other part may use.
  if(NOT name STREQUAL "util")
    list(APPEND ARG_DEPENDS util)
  endif()
  foreach(dep IN LISTS ARG_DEPENDS)
    if(TARGET parcae_${dep})
      target_link_libraries(parcae_${name} PUBLIC parcae_${dep})
    endif()
  endforeach()
  set(PARCAE_PARTS ${PARCAE_PARTS} parcae_${name} CACHE INTERNAL "")
endfunction()

# Called from tests/: one test binary per part that has tests.
function(parcae_add_part_tests name)
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/${name}/*_test.cpp)
  if(NOT sources OR NOT TARGET parcae_${name})
    return()
  endif()
  add_executable(parcae_${name}_tests ${sources})
  target_link_libraries(parcae_${name}_tests PRIVATE parcae_${name} GTest::gtest_main)
  target_include_directories(parcae_${name}_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_compile_definitions(parcae_${name}_tests PRIVATE
    PARCAE_SHARED_DIR="${PARCAE_SHARED_DIR}")
  gtest_discover_tests(parcae_${name}_tests TEST_PREFIX "${name}."
    PROPERTIES TIMEOUT 300 ENVIRONMENT "OMP_NUM_THREADS=1;OPENBLAS_NUM_THREADS=1"
    DISCOVERY_TIMEOUT 60)
endfunction()

# parcae_add_mpi_test(NAME RANKS SOURCE... ): a GoogleTest binary run under
# mpirun with RANKS ranks. Each gets a TIMEOUT, one thread per rank, and
# RUN_SERIAL (two of them at once on 2 cores would starve each other).
function(parcae_add_mpi_test name ranks)
  add_executable(${name} ${ARGN} ${PROJECT_SOURCE_DIR}/tests/mpi/mpi_main.cpp)
  target_link_libraries(${name} PRIVATE ${PARCAE_PARTS} GTest::gtest MPI::MPI_CXX)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_compile_definitions(${name} PRIVATE PARCAE_SHARED_DIR="${PARCAE_SHARED_DIR}")
  add_test(NAME mpi.${name}
    COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${ranks} --oversubscribe
            ${MPIEXEC_PREFLAGS} $<TARGET_FILE:${name}> ${MPIEXEC_POSTFLAGS})
  set_tests_properties(mpi.${name} PROPERTIES TIMEOUT 300 RUN_SERIAL TRUE
    ENVIRONMENT "OMP_NUM_THREADS=1;OPENBLAS_NUM_THREADS=1;OMPI_MCA_mpi_yield_when_idle=1;OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;OMPI_MCA_rmaps_base_oversubscribe=1")
endfunction()

# parcae_add_mpi_script_test(NAME SCRIPT ARGS...): a shell script that starts
# mpirun itself (as $MPIRUN), with the same environment and limits.
function(parcae_add_mpi_script_test name script)
  add_test(NAME mpi.${name} COMMAND ${script} ${ARGN})
  set_tests_properties(mpi.${name} PROPERTIES TIMEOUT 300 RUN_SERIAL TRUE
    ENVIRONMENT "MPIRUN=${MPIEXEC_EXECUTABLE};OMP_NUM_THREADS=1;OPENBLAS_NUM_THREADS=1;OMPI_MCA_mpi_yield_when_idle=1;OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;OMPI_MCA_rmaps_base_oversubscribe=1")
endfunction()
