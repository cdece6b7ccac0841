#pragma once
// How the process gets memory from the C library.

namespace parcae::cli {

// Model state comes and goes in buffers of tens to hundreds of MB (a shard's
// three buffers, a stage rebuilt on every reconfiguration). By default glibc
// maps each such buffer afresh and unmaps it when freed, so every
// reconfiguration pays a page fault per 4 KiB of the state it receives (half
// a second per GB here, more than the copy itself). Called first thing in
// main: large blocks come from the heap and freed memory stays with the
// process, to be reused by the next stage or the next migration.
void keep_freed_memory();

}  // namespace parcae::cli
