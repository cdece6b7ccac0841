# Optional CUDA: PARCAE_CUDA=AUTO enables it when a CUDA compiler is found.
# We compile for sm_80 (A100) and sm_90 (H100/H200); "native" would fail on
# machines without a GPU. Only the runtime API (cudart) is linked: linking the
# driver API (libcuda) would stop the binary from starting without a driver.
include(CheckLanguage)
set(PARCAE_HAVE_CUDA OFF)
if(NOT PARCAE_CUDA STREQUAL "OFF")
  if(NOT DEFINED CMAKE_CUDA_COMPILER AND EXISTS /usr/local/cuda/bin/nvcc)
    set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
  endif()
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES 80 90)
    endif()
    enable_language(CUDA)
    find_package(CUDAToolkit REQUIRED)
    find_package(NCCL)
    set(PARCAE_HAVE_CUDA ON)
  elseif(PARCAE_CUDA STREQUAL "ON")
    message(FATAL_ERROR "PARCAE_CUDA=ON but no CUDA compiler was found")
  endif()
endif()
message(STATUS "parcae: CUDA ${PARCAE_HAVE_CUDA}")

# Adds the .cu files of DIR to TARGET when CUDA is on; otherwise the CPU build
# is complete on its own and device code reports "no GPU".
function(parcae_add_cuda_sources target dir)
  if(PARCAE_HAVE_CUDA)
    file(GLOB_RECURSE cuda_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${dir}/*.cu)
    target_sources(${target} PRIVATE ${cuda_sources})
    target_compile_definitions(${target} PUBLIC PARCAE_HAVE_CUDA=1)
    target_link_libraries(${target} PUBLIC CUDA::cudart)
    # C++17 for device code: CMake 3.25 knows no C++20 flag for nvcc 12+
    # ("CUDA20" fails at generate time once a target has .cu sources, and the
    # CUDA standard otherwise follows CMAKE_CXX_STANDARD 20).
    set_target_properties(${target} PROPERTIES CUDA_STANDARD 17)
    if(NCCL_FOUND)
      target_compile_definitions(${target} PUBLIC PARCAE_HAVE_NCCL=1)
      target_link_libraries(${target} PUBLIC NCCL::NCCL)
    endif()
  endif()
endfunction()
