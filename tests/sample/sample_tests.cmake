# parcae sample end to end (tests/sample/sample_cli_test.sh): the tiny model trained briefly on
# tinyshakespeare by parcae train (checkpointing through the store) is sampled from.
add_test(NAME sample.cli
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/sample_cli_test.sh $<TARGET_FILE:parcae>
          ${PARCAE_SHARED_DIR}/data/tinyshakespeare.txt)
set_tests_properties(sample.cli PROPERTIES TIMEOUT 240
  ENVIRONMENT "OMP_NUM_THREADS=1;OPENBLAS_NUM_THREADS=1")
if(NOT EXISTS ${PARCAE_SHARED_DIR}/data/tinyshakespeare.txt)
  set_tests_properties(sample.cli PROPERTIES DISABLED TRUE)
endif()
