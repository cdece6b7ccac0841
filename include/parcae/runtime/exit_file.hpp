#pragma once
// The job's exit code in a file, for the batch script. Under `mpirun
// --enable-recovery` (Open MPI 4.1) mpirun returns 0 whatever its ranks'
// codes, even 75 ("checkpointed, requeue me") and MPI_Abort's; and after a
// spawn that failed it never returns at all. So rank 0 (of `parcae train
// --exit-file PATH`) writes its code to PATH when the job ends ("75\n"): at
// the end of the work, on a failure it meets, and when it exits "requeue me"
// itself (membership.hpp). jobs/parcae_job.sh reads it: the job's code is the
// file's, and no file means the job did not end as it should.
#include <string>

namespace parcae::runtime {

// From now on write_exit_file writes to `path` (empty: nowhere).
void set_exit_file(const std::string& path);
// Writes `code` and a newline to the file (a temporary renamed into place),
// once: the first code written is the job's. Safe from any thread; no
// allocation, so a watchdog about to _exit may call it.
void write_exit_file(int code) noexcept;

}  // namespace parcae::runtime
