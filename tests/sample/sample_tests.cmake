# parcae sample end to end (tests/sample/sample_cli_test.sh): a tiny model trained briefly on
# tinyshakespeare by train_tiny_checkpoint (one process, its shards saved through the
# checkpoint store) is sampled from.
if(TARGET parcae_ckpt AND TARGET parcae_sample)
  add_executable(train_tiny_checkpoint ${CMAKE_CURRENT_LIST_DIR}/train_tiny_checkpoint.cpp)
  target_link_libraries(train_tiny_checkpoint PRIVATE parcae_ckpt parcae_compute parcae_data)
  add_test(NAME sample.cli
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/sample_cli_test.sh $<TARGET_FILE:parcae>
            $<TARGET_FILE:train_tiny_checkpoint> ${PARCAE_SHARED_DIR}/data/tinyshakespeare.txt)
  set_tests_properties(sample.cli PROPERTIES TIMEOUT 240
    ENVIRONMENT "OMP_NUM_THREADS=1;OPENBLAS_NUM_THREADS=1")
  if(NOT EXISTS ${PARCAE_SHARED_DIR}/data/tinyshakespeare.txt)
    set_tests_properties(sample.cli PROPERTIES DISABLED TRUE)
  endif()
endif()
