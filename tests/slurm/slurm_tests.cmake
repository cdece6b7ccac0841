# Real Slurm jobs on a one-node cluster the tests start themselves
# (tests/slurm/slurm_cluster.sh); they skip, saying why, without slurm-wlm and munge.
add_test(NAME slurm.sbatch_forwards_signals
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/slurm/sbatch_forwards_signals.sh ${PROJECT_SOURCE_DIR}/jobs)
set_tests_properties(slurm.sbatch_forwards_signals PROPERTIES TIMEOUT 120 RUN_SERIAL TRUE
  SKIP_REGULAR_EXPRESSION "slurm test skipped"
  ENVIRONMENT "MPIRUN=${MPIEXEC_EXECUTABLE};OMP_NUM_THREADS=1;OPENBLAS_NUM_THREADS=1;OMPI_MCA_mpi_yield_when_idle=1;OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;OMPI_MCA_rmaps_base_oversubscribe=1")
# Under --enable-recovery mpirun returns 0 although the ranks exit 75: the job
# requeues from rank 0's --exit-file.
add_test(NAME slurm.sbatch_requeues_under_recovery
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/slurm/sbatch_forwards_signals.sh ${PROJECT_SOURCE_DIR}/jobs
          --enable-recovery)
set_tests_properties(slurm.sbatch_requeues_under_recovery PROPERTIES TIMEOUT 120 RUN_SERIAL TRUE
  SKIP_REGULAR_EXPRESSION "slurm test skipped"
  ENVIRONMENT "MPIRUN=${MPIEXEC_EXECUTABLE};OMP_NUM_THREADS=1;OPENBLAS_NUM_THREADS=1;OMPI_MCA_mpi_yield_when_idle=1;OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;OMPI_MCA_rmaps_base_oversubscribe=1")
add_test(NAME slurm.train_sbatch_requeues
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/slurm/train_sbatch_requeues.sh ${PROJECT_SOURCE_DIR}/jobs
          $<TARGET_FILE:parcae>)
set_tests_properties(slurm.train_sbatch_requeues PROPERTIES TIMEOUT 240 RUN_SERIAL TRUE
  SKIP_REGULAR_EXPRESSION "slurm test skipped"
  ENVIRONMENT "MPIRUN=${MPIEXEC_EXECUTABLE};OMP_NUM_THREADS=1;OPENBLAS_NUM_THREADS=1;OMPI_MCA_mpi_yield_when_idle=1;OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;OMPI_MCA_rmaps_base_oversubscribe=1")
