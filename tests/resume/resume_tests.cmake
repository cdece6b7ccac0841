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
# Bad checkpoint options: exit 2 on every rank, the message once.
set(PARCAE_REJECTS ${CMAKE_CURRENT_SOURCE_DIR}/mpi/rejects.sh)
parcae_add_mpi_script_test(train_rejects_missing_resume ${PARCAE_REJECTS} $<TARGET_FILE:parcae> 3
  "--resume /nonexistent/step-00000010: no such checkpoint folder" train --model tiny
  --resume /nonexistent/step-00000010)
parcae_add_mpi_script_test(train_rejects_run_with_slash ${PARCAE_REJECTS} $<TARGET_FILE:parcae> 3
  "a/b" train --model tiny --run a/b --checkpoint-dir /tmp)
parcae_add_mpi_script_test(train_rejects_checkpoint_every_zero ${PARCAE_REJECTS}
  $<TARGET_FILE:parcae> 3 "--checkpoint-every: '0' is outside" train --model tiny --checkpoint-every 0)
parcae_add_mpi_script_test(train_rejects_elastic_checkpoint_sync ${PARCAE_REJECTS} $<TARGET_FILE:parcae> 3
  "--checkpoint-sync does not apply to an elastic run" train --model tiny --elastic --checkpoint-sync)
parcae_add_mpi_script_test(train_checkpoints_by_the_clock
  ${PARCAE_RESUME_TESTS}/checkpoint_seconds.sh $<TARGET_FILE:parcae>)
set_tests_properties(mpi.train_checkpoints_by_the_clock PROPERTIES TIMEOUT 120)
# An asynchronous checkpoint (copy overlapping the next step) equals a synchronous one.
parcae_add_mpi_script_test(train_overlapped_checkpoint_matches_sync
  ${PARCAE_RESUME_TESTS}/overlap_matches_sync.sh $<TARGET_FILE:parcae>)
set_tests_properties(mpi.train_overlapped_checkpoint_matches_sync PROPERTIES TIMEOUT 180)
