#pragma once
// The job's exit code in a file, for the batch script. Under `mpirun
// --enable-recovery` (Open MPI 4.1) mpirun returns 0 whatever its ranks'
// codes, even 75 ("checkpointed, requeue me") and MPI_Abort's; and after a
// spawn that failed it never returns at all. So rank 0 (of `parcae train
// --exit-file PATH`) writes its code to PATH when the job ends ("75\n"): at
// the end of the work, on a failure it meets, and when it exits "requeue me"
// itself (membership.hpp). jobs/parcae_job.sh reads it: the job's code is the
// file's, and no file means the job did not end as it should.
//
// A dead rank 0 writes nothing, so in a job that recovers every worker knows
// the path too and, when it sees rank 0 die (liveness.hpp), writes 75 as the
// orphan's code, unless a code is there already (rank 0's, written before it
// ended, or another worker's): a Slurm job whose coordinator died requeues.
#include <string>

namespace parcae::runtime {

// From now on write_exit_file writes to `path` (empty: nowhere).
void set_exit_file(const std::string& path);
// Writes `code` and a newline to the file (a temporary renamed into place),
// once: the first code written is the job's. Safe from any thread; no
// allocation, so a watchdog about to _exit may call it.
void write_exit_file(int code) noexcept;

// A worker's: from now on write_orphan_exit_file writes to `path`.
void set_orphan_exit_file(const std::string& path);
// Writes `code` as the job's when no code is in the file yet (a link, not a
// rename, so the first process to write wins across processes); once per
// process; no allocation.
void write_orphan_exit_file(int code) noexcept;

}  // namespace parcae::runtime
