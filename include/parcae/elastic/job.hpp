#pragma once
// The whole Parcae loop in one MPI job: `parcae train --elastic` (or with a
// --trace). Rank 0 coordinates: it replays availability (a trace, or the
// built-in synthetic generator), forecasts, decides (D, P) per interval with
// the liveput optimizer from a cost model measured on the live job, plans the
// layout and the migration, and sends one control message per decision. Ranks
// 1..W obey: preempted ranks lose their state, survivors regroup and move
// shards, and the active ones train the steps the message asks for, exactly
// as the fixed-layout trainer would (runtime::StepRunner).
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "parcae/elastic/controller.hpp"
#include "parcae/elastic/trace_position.hpp"
#include "parcae/runtime/progress.hpp"
#include "parcae/runtime/trainer.hpp"
#include "parcae/trace/generator.hpp"

namespace parcae::elastic {

struct ElasticConfig {
  // Availability: a trace file (Parcae CSV), a window of it in hours, or the
  // built-in synthetic generator (its capacity defaults to the workers).
  std::string trace_path;
  double start_hour = -1, end_hour = -1;  // < 0: the whole trace
  // The built-in trace: capacity and initial instances = the workers (0 and
  // -1 here), events frequent enough that a short run sees every kind of
  // reconfiguration (the defaults fitted to p3trace would leave a handful of
  // workers undisturbed for hours).
  trace::GeneratorParams synthetic{.capacity = 0,
                                   .initial = -1,
                                   .intervals = 30,
                                   .interval_s = 60.0,
                                   .alloc_rate = 0.3,
                                   .alloc_batch_mean = 1.5,
                                   .preempt_hazard = 0.06,
                                   .preempt_batch_mean = 1.5,
                                   .seed = 1};
  double trace_interval_s = 60.0;  // the trace's discretisation
  std::uint64_t availability_seed = 1;
  // How trace time maps to training: K optimizer steps per interval, or S
  // seconds of wall clock per interval (exactly one of the two is > 0).
  int interval_steps = 0;
  double interval_seconds = 0.0;
  Policy policy = Policy::parcae;
  std::string predictor;  // empty: the default predictor
  int look_ahead = 12;
  int history = 12;
  // A preemption notice of this many seconds lets the doomed ranks evacuate
  // their shards; 0 = preemption without notice (their state is lost).
  double notice_s = 0.0;
  bool hdf5_migration = false;  // --migration hdf5: transfers through the checkpoint store
  std::string profile_path;     // a throughput table instead of measuring the job
  std::string timeline_path;    // JSON Lines: one record per interval and reconfiguration
  int measure_repeats = 3;
  // Survive worker processes that really die (`mpirun --enable-recovery`;
  // runtime/membership.hpp): a rank silent for death_s is taken for dead and
  // the job goes on with the survivors. Off: a death fails the job (a stall).
  bool recovery = false;
  double death_s = 5.0;
  // New worker processes may join the running job (join.hpp): the source
  // knows this many ranks beyond the world's workers, and when it has one of
  // them alive the coordinator spawns the processes for it (`program` with
  // `program_args`, the job's own command line), joiner i on
  // join_hosts[i mod size] (none: mpirun places them).
  int join_workers = 0;
  std::vector<std::string> join_hosts;
  std::string program;
  std::vector<std::string> program_args;
  // A job resumed from a checkpoint (cfg.start) goes on at this place of the
  // trace, the one the checkpoint recorded (trace_position.hpp).
  TracePosition start_at;
};

// Checks the elastic options against each other and the job (InputError
// naming the option), before any communication.
void validate(const ElasticConfig& ecfg, const runtime::TrainConfig& cfg, int workers);

struct ElasticSummary {
  std::int64_t committed_samples = 0;
  int intervals = 0;
  int reconfigurations = 0;
  int rollbacks = 0;
  int deaths = 0;  // worker processes lost (and recovered from)
  int joins = 0;   // spawns of new worker processes (each of one or more)
  double train_s = 0, migrate_s = 0, rolled_back_s = 0, idle_s = 0;
  double predicted_samples = 0;            // the simulator on the same trace and cost model
  // Samples trained per second of training against the cost model's rate for
  // the same layouts (1: the job ran as fast as it measured at start), and
  // the simulator's prediction with every throughput times that: what is left
  // between it and the committed samples is the model of reconfigurations.
  // Wall-clock replays only (--interval-seconds); 0 otherwise.
  double observed_speed = 0;
  double predicted_at_observed_speed = 0;
  std::vector<runtime::StepReport> steps;  // every step trained, redone ones included
  // It stopped early on a request (SIGUSR2, SIGTERM), after its checkpoint:
  // every rank exits 75 ("requeue me"). On every rank.
  bool stopped = false;
  std::int64_t steps_done = 0;  // the optimizer steps the run stands at (rank 0)
};

// Collective over MPI_COMM_WORLD (1 coordinator + W >= 1 workers), or, in a
// process the job spawned (join.hpp), over the job it joins. Progress on
// `out` (rank 0); returns the summary on rank 0, only `stopped` elsewhere.
//
// `requests` are the signals' (cli/signals.hpp), taken on every rank: the
// workers relay theirs to the coordinator (CheckpointRequest), which answers
// between two intervals: the current layout's holders save the state as a
// checkpoint (unless the newest complete one is of this very step), and a
// stop request then ends the job on every rank.
ElasticSummary run_elastic_job(const runtime::TrainConfig& cfg, const ElasticConfig& ecfg,
                               const runtime::TrainData& data, std::ostream& out,
                               const runtime::RequestSource& requests = {});

}  // namespace parcae::elastic
