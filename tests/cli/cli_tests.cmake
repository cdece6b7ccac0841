# End-to-end checks of the real `parcae` binary: exit codes and messages.
# parcae_cli_test(NAME CODE REGEX ARGS...) runs `parcae ARGS...` and passes
# when it exits with CODE and its output matches REGEX.
set(PARCAE_EXPECT ${CMAKE_CURRENT_LIST_DIR}/expect.sh)
set(PARCAE_TRACE ${PARCAE_SHARED_DIR}/traces/p3trace.csv)
set(PARCAE_CLI_DATA ${CMAKE_CURRENT_LIST_DIR}/data)

function(parcae_cli_test name code regex)
  add_test(NAME cli.${name} COMMAND ${PARCAE_EXPECT} ${code} ${regex} $<TARGET_FILE:parcae> ${ARGN})
  # Relative paths (in INI files) resolve from tests/cli/data.
  set_tests_properties(cli.${name} PROPERTIES TIMEOUT 120 WORKING_DIRECTORY ${PARCAE_CLI_DATA}
    ENVIRONMENT "OMP_NUM_THREADS=1;OPENBLAS_NUM_THREADS=1")
endfunction()

# Tests that read ../shared are skipped (not failed) where it is absent.
function(parcae_cli_shared_test name code regex)
  parcae_cli_test(${name} ${code} ${regex} ${ARGN})
  if(NOT EXISTS ${PARCAE_TRACE})
    set_tests_properties(cli.${name} PROPERTIES DISABLED TRUE)
  endif()
endfunction()

parcae_cli_test(version 0 "^parcae [0-9]+\\.[0-9]+\\.[0-9]+" --version)
parcae_cli_test(help 0 "commands:" --help)
parcae_cli_test(no_command 2 "usage: parcae COMMAND")
parcae_cli_test(unknown_command 2 "unknown command 'frobnicate'" frobnicate)
parcae_cli_test(trace_help 0 "--start-hour" trace show --help)
parcae_cli_test(trace_unknown_option 2 "unrecognised option '--bogus'" trace show x.csv --bogus)
parcae_cli_test(trace_missing_file 2 "/nonexistent.csv: cannot open" trace show /nonexistent.csv)
parcae_cli_test(trace_bad_line 2 "bad_op.csv:3: unknown op 'delete'"
  trace show ${PARCAE_CLI_DATA}/bad_op.csv)
parcae_cli_test(trace_bad_config 2 "nope.ini: cannot open config file" trace show x.csv --config nope.ini)
parcae_cli_shared_test(trace_config_file 0 "\"intervals\": 60"
  trace show --config ${PARCAE_CLI_DATA}/show_window.ini)
parcae_cli_test(trace_gen_bad_param 2 "--capacity: .0. is outside .1, 100000." trace gen --capacity 0)

parcae_cli_shared_test(trace_show_published 0
  "whole trace +683 +10 +32 +24.0 +177 +167 +79" trace show ${PARCAE_TRACE})
parcae_cli_shared_test(trace_show_segment_lh 0
  "lh 8-9 h +60 +11 +24 +16.8 +17 +18" trace show ${PARCAE_TRACE})
parcae_cli_shared_test(trace_show_json 0 "\"preemptions\": 167"
  trace show ${PARCAE_TRACE} --json)
parcae_cli_shared_test(trace_show_window_json 0 "\"n_min\": 14"
  trace show ${PARCAE_TRACE} --start-hour 10 --end-hour 11 --json)
parcae_cli_shared_test(trace_fit 0 "--alloc-rate 0.0152" trace fit ${PARCAE_TRACE})

parcae_cli_test(data_missing_text 2 "nope.txt: cannot open text file"
  data prepare --text nope.txt --out /tmp/parcae_cli_never.bin)
parcae_cli_test(data_no_action 2 "usage: parcae data prepare" data)
parcae_cli_shared_test(data_prepare 0 "[0-9]+ tokens"
  data prepare --text ${PARCAE_SHARED_DIR}/data/tinyshakespeare.txt
  --out ${CMAKE_BINARY_DIR}/shakespeare.bin)

parcae_cli_test(train_bad_heads 2 "heads \\(5\\) must divide channels" train --model tiny --heads 5)
parcae_cli_test(train_config_file 2 "heads \\(5\\) must divide channels" train --config ${PARCAE_CLI_DATA}/bad_heads.ini)
parcae_cli_test(train_missing_data 2 "nope.bin: cannot open token file" train --model tiny --data nope.bin)
parcae_cli_test(train_wrong_magic 2 "bad_op.csv: not a parcae token file" train --model tiny --data ${PARCAE_CLI_DATA}/bad_op.csv)
parcae_cli_test(train_context_longer_than_data 2 "cannot fill one sample of context 64"
  train --model tiny --data ${PARCAE_CLI_DATA}/short.bin)
add_test(NAME cli.train_synthetic COMMAND ${CMAKE_CURRENT_LIST_DIR}/train_synthetic.sh $<TARGET_FILE:parcae>)
set_tests_properties(cli.train_synthetic PROPERTIES TIMEOUT 120 ENVIRONMENT "OMP_NUM_THREADS=1;OPENBLAS_NUM_THREADS=1")
parcae_cli_test(predict_bad_predictor 2 "unknown predictor 'bogus'" predict --predictors bogus)
parcae_cli_test(predict_bad_horizon 2 "--horizon: .0. is outside .1, 1440." predict --horizon 0)
parcae_cli_shared_test(predict_json 0 "\"predictor\": \"last-value\""
  predict --trace ${PARCAE_TRACE} --predictors last-value --json)

set(PARCAE_GPT15 ${PARCAE_SHARED_DIR}/profiles/gpt-1.5b_mbs1_gbs128.csv)
parcae_cli_shared_test(simulate_reproduces_reactive 0 "1171346.2"
  simulate --trace ${PARCAE_TRACE} --profile ${PARCAE_GPT15} --policies ideal,reactive)
parcae_cli_shared_test(plan_more_instances_than_nodes 2 "--dp x --pp = 32 > --nodes 7"
  plan --profile ${PARCAE_GPT15} --nodes 7 --dp 4 --pp 8 --future "7,0,0")
parcae_cli_shared_test(simulate_missing_profile 2 "nope_profile.csv: cannot open profile"
  simulate --trace ${PARCAE_TRACE} --profile nope_profile.csv)
parcae_cli_shared_test(simulate_missing_trace 2 "nope_trace.csv: cannot open trace file"
  simulate --trace nope_trace.csv --profile ${PARCAE_GPT15})

# The benchmarks run (their figures are for docs/perf.md, never asserted here).
parcae_cli_shared_test(bench_optimizer 0 "\"median_ms\""
  bench optimizer --trace ${PARCAE_TRACE} --profile ${PARCAE_GPT15} --json)
parcae_cli_test(bench_gemm 0 "\"gflops\"" bench gemm --m 128 --n 128 --k 128 --repeats 3 --json)
parcae_cli_test(bench_step 0 "\"ratio_to_sgemm\"" bench step --model tiny --json)
parcae_cli_test(bench_unknown_target 2 "unknown target 'nope'" bench nope)

# Every command and subcommand with hostile values for every numeric and path
# option its --help lists (NaN, inf, -1, 1e18, 2^63, a folder, /dev/full, an
# input as output, ...): exit 0 or 2, never a signal or a hang, nothing that
# existed changed by a failed run (issue 10). About 1800 runs in a minute.
add_test(NAME cli.hostile_options
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/hostile_options.py $<TARGET_FILE:parcae>)
set_tests_properties(cli.hostile_options PROPERTIES TIMEOUT 300 RUN_SERIAL TRUE)
# The MPI commands once per numeric option under `mpirun -np 3` with NaN:
# one message, exit 2 on every rank, nothing left waiting.
add_test(NAME mpi.hostile_options
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/hostile_options.py $<TARGET_FILE:parcae>
          --mpirun-only --jobs 3)
set_tests_properties(mpi.hostile_options PROPERTIES TIMEOUT 300 RUN_SERIAL TRUE)

# --device (issue 13): a bad word, and cuda where no GPU is visible (hidden by
# CUDA_VISIBLE_DEVICES, so it holds on a GPU machine too), are bad input.
parcae_cli_test(device_bad_word 2 "--device 'gpu': expected auto, cpu or cuda"
  bench step --model tiny --steps 1 --device gpu)
parcae_cli_test(device_cuda_without_gpu 2 "--device cuda: (no CUDA|built without CUDA)"
  bench step --model tiny --steps 1 --device cuda)
set_tests_properties(cli.device_cuda_without_gpu PROPERTIES
  ENVIRONMENT "OMP_NUM_THREADS=1;OPENBLAS_NUM_THREADS=1;CUDA_VISIBLE_DEVICES=")
parcae_cli_test(device_cpu_named 0 "\"device\": \"cpu"
  bench step --model tiny --steps 1 --device cpu --json)

# --plot (src/cli/plot_option.cpp): needs --timeline; draws it and the run still succeeds.
parcae_cli_shared_test(simulate_plot_needs_timeline 2 "--plot draws the --timeline"
  simulate --trace ${PARCAE_TRACE} --profile ${PARCAE_GPT15} --plot /tmp/parcae_cli_never.png)
parcae_cli_shared_test(simulate_plot_not_png 2 "--plot: 'x.jpg' names neither"
  simulate --trace ${PARCAE_TRACE} --profile ${PARCAE_GPT15} --timeline /tmp/parcae_cli_plot.csv --plot x.jpg)
parcae_cli_shared_test(simulate_plot 0 "--plot: wrote /tmp/parcae_cli_plot.png"
  simulate --trace ${PARCAE_TRACE} --profile ${PARCAE_GPT15} --segments hh
  --timeline /tmp/parcae_cli_plot.csv --plot /tmp/parcae_cli_plot.png)
