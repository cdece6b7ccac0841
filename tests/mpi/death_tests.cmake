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
  # The coordinator itself dies (SIGKILL: every worker sees its liveness
  # connection close) or stops (SIGSTOP: the workers' silence deadline): every
  # worker leaves "requeue me" within a bound and the exit file says 75.
  set(PARCAE_ORPHANS ${CMAKE_CURRENT_SOURCE_DIR}/mpi/elastic_coordinator_dies.sh)
  parcae_add_mpi_script_test(elastic_workers_requeue_when_the_coordinator_dies ${PARCAE_ORPHANS}
    $<TARGET_FILE:parcae> ${CMAKE_CURRENT_SOURCE_DIR}/elastic/data kill)
  parcae_add_mpi_script_test(elastic_workers_requeue_when_the_coordinator_stops ${PARCAE_ORPHANS}
    $<TARGET_FILE:parcae> ${CMAKE_CURRENT_SOURCE_DIR}/elastic/data stop)
  set_tests_properties(mpi.elastic_workers_requeue_when_the_coordinator_dies
    mpi.elastic_workers_requeue_when_the_coordinator_stops PROPERTIES TIMEOUT 150)
endif()
set(PARCAE_PLAIN_DEATH ${CMAKE_CURRENT_SOURCE_DIR}/mpi/death_ends_plain_job.sh)
parcae_add_mpi_script_test(death_ends_plain_train ${PARCAE_PLAIN_DEATH} $<TARGET_FILE:parcae>
  --dp 2 --pp 3)
parcae_add_mpi_script_test(death_ends_elastic_without_recovery ${PARCAE_PLAIN_DEATH}
  $<TARGET_FILE:parcae> --elastic --synthetic-preempt-hazard 0 --synthetic-alloc-rate 0
  --interval-steps 1000)
set_tests_properties(mpi.death_ends_plain_train mpi.death_ends_elastic_without_recovery
  PROPERTIES TIMEOUT 90)

# New worker processes join a running job (issue 15, "Join"): 1 coordinator + 4
# workers, a trace that rises to 6 instances, --join-workers 2. Rank 0 spawns
# the new processes and merges them in; the job grows to 2 x 3 on them and
# keeps the lone process's losses.
if(TARGET parcae_elastic)
  set(PARCAE_JOINS ${CMAKE_CURRENT_SOURCE_DIR}/mpi/elastic_joins.sh)
  set(PARCAE_JOIN_DATA ${CMAKE_CURRENT_SOURCE_DIR}/elastic/data)
  parcae_add_mpi_script_test(elastic_joins_two_workers ${PARCAE_JOINS} $<TARGET_FILE:parcae>
    ${PARCAE_JOIN_DATA} four_then_six.csv 1)
  parcae_add_mpi_script_test(elastic_joins_under_recovery ${PARCAE_JOINS} $<TARGET_FILE:parcae>
    ${PARCAE_JOIN_DATA} four_then_six.csv 1 --recovery)
  # Instances 5 and 6 arrive intervals apart: two spawns, the second one
  # collective over the world the first one merged.
  parcae_add_mpi_script_test(elastic_joins_one_by_one ${PARCAE_JOINS} $<TARGET_FILE:parcae>
    ${PARCAE_JOIN_DATA} four_then_one_by_one.csv 2 --recovery)
  # Rank 2 (an original worker) is SIGKILLed once 2 x 3 trains on the joined
  # ranks: the survivors of the merged world go on (2 x 2, pipeline migration).
  parcae_add_mpi_script_test(elastic_survives_a_death_after_a_join ${PARCAE_JOINS}
    $<TARGET_FILE:parcae> ${PARCAE_JOIN_DATA} four_then_six.csv 1 --kill 2)
  # A joined process itself (merged rank 5) dies: the same.
  parcae_add_mpi_script_test(elastic_survives_a_joined_worker_lost ${PARCAE_JOINS}
    $<TARGET_FILE:parcae> ${PARCAE_JOIN_DATA} four_then_six.csv 1 --kill 5)
  # Rank 2 is SIGKILLed in interval 4 (2 x 2 shrinks to 1 x 3), then the trace
  # brings 3 instances: the spawn is collective over the survivors, whose merge
  # numbers the world anew, and the job grows to 2 x 3 on ranks 1, 3-7.
  parcae_add_mpi_script_test(elastic_joins_after_a_death ${PARCAE_JOINS}
    $<TARGET_FILE:parcae> ${PARCAE_JOIN_DATA} four_lose_one_then_seven.csv 1 --kill-first 2
    --join-workers 3 --events "death join")
  # A join, a death, a join: ranks 5 and 6 join in interval 7 (2 x 3), rank 2
  # is SIGKILLed once interval 12 is out (2 x 2 over the survivors of the
  # merged world), and the trace's seventh instance, in interval 17, is spawned
  # over those survivors and merged: 2 x 3 again, on ranks 1, 3-7.
  parcae_add_mpi_script_test(elastic_joins_after_a_join_and_a_death ${PARCAE_JOINS}
    $<TARGET_FILE:parcae> ${PARCAE_JOIN_DATA} four_then_six_lose_one_then_seven.csv 2 --kill 2
    --join-workers 3 --events "join death join")
  set_tests_properties(mpi.elastic_joins_two_workers mpi.elastic_joins_under_recovery
    mpi.elastic_joins_one_by_one mpi.elastic_survives_a_death_after_a_join
    mpi.elastic_survives_a_joined_worker_lost mpi.elastic_joins_after_a_death
    mpi.elastic_joins_after_a_join_and_a_death PROPERTIES TIMEOUT 200)
  # A host mpirun does not know: the spawn fails at rank 0 alone, the job says
  # so and trains on with its 4 workers (under --enable-recovery too).
  parcae_add_mpi_script_test(elastic_survives_a_failed_spawn ${PARCAE_JOINS}
    $<TARGET_FILE:parcae> ${PARCAE_JOIN_DATA} four_then_six.csv 0 --join-hosts nosuchhost)
  parcae_add_mpi_script_test(elastic_survives_a_failed_spawn_under_recovery ${PARCAE_JOINS}
    $<TARGET_FILE:parcae> ${PARCAE_JOIN_DATA} four_then_six.csv 0 --join-hosts nosuchhost
    --recovery)
  set_tests_properties(mpi.elastic_survives_a_failed_spawn
    mpi.elastic_survives_a_failed_spawn_under_recovery PROPERTIES TIMEOUT 200)
  parcae_add_mpi_script_test(elastic_rejects_bad_join_host ${PARCAE_REJECTS}
    $<TARGET_FILE:parcae> 3 "--join-hosts: 'node 2' is not a host name" train --model tiny
    --elastic --join-workers 2 --join-hosts "node1,node 2")
  parcae_add_mpi_script_test(elastic_rejects_join_hosts_without_workers ${PARCAE_REJECTS}
    $<TARGET_FILE:parcae> 3 "--join-hosts places the workers of --join-workers" train
    --model tiny --elastic --join-hosts node1)
endif()
