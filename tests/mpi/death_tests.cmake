# Worker processes that really die (issue 15): SIGKILLed ranks under
# `mpirun --enable-recovery` (the elastic job goes on with the survivors) and
# under plain mpirun (the job ends, non-zero, in bounded time).
if(TARGET parcae_elastic)
  set(PARCAE_DEATH ${CMAKE_CURRENT_SOURCE_DIR}/mpi/elastic_survives_death.sh)
  # Rank 2 (stage 0 of replica 1): its replica partner is alive, the
  # survivors shrink to 2 x 2 by a pipeline migration.
  parcae_add_mpi_script_test(elastic_survives_a_death ${PARCAE_DEATH} $<TARGET_FILE:parcae>
    ${CMAKE_CURRENT_SOURCE_DIR}/elastic/data pipeline 2)
  # Ranks 3 and 4 hold stage 1 together: no live holder is left, a rollback.
  parcae_add_mpi_script_test(elastic_survives_a_stage_lost ${PARCAE_DEATH} $<TARGET_FILE:parcae>
    ${CMAKE_CURRENT_SOURCE_DIR}/elastic/data rollback 3 4)
  set_tests_properties(mpi.elastic_survives_a_death mpi.elastic_survives_a_stage_lost
    PROPERTIES TIMEOUT 240)
endif()
set(PARCAE_PLAIN_DEATH ${CMAKE_CURRENT_SOURCE_DIR}/mpi/death_ends_plain_job.sh)
parcae_add_mpi_script_test(death_ends_plain_train ${PARCAE_PLAIN_DEATH} $<TARGET_FILE:parcae>
  --dp 2 --pp 3)
parcae_add_mpi_script_test(death_ends_elastic_without_recovery ${PARCAE_PLAIN_DEATH}
  $<TARGET_FILE:parcae> --elastic --synthetic-preempt-hazard 0 --synthetic-alloc-rate 0
  --interval-steps 1000)
set_tests_properties(mpi.death_ends_plain_train mpi.death_ends_elastic_without_recovery
  PROPERTIES TIMEOUT 90)
