# Checkpoints of `parcae train`: signals, resume into any layout, crashes
# (tests/resume). Each runs mpirun itself, with a timeout.
set(PARCAE_RESUME_TESTS ${CMAKE_CURRENT_SOURCE_DIR}/resume)
parcae_add_mpi_script_test(train_signals_stop_every_rank
  ${PARCAE_RESUME_TESTS}/signals_stop_every_rank.sh $<TARGET_FILE:parcae>)
set_tests_properties(mpi.train_signals_stop_every_rank PROPERTIES TIMEOUT 120)
parcae_add_mpi_script_test(train_resumes_into_any_layout
  ${PARCAE_RESUME_TESTS}/resume_any_layout.sh $<TARGET_FILE:parcae>)
set_tests_properties(mpi.train_resumes_into_any_layout PROPERTIES TIMEOUT 180)
parcae_add_mpi_script_test(train_resumes_after_crash
  ${PARCAE_RESUME_TESTS}/crash_resume.sh $<TARGET_FILE:parcae>)
set_tests_properties(mpi.train_resumes_after_crash PROPERTIES TIMEOUT 180)
