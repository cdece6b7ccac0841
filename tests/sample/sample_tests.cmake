# parcae sample (tests/sample/sample_cli_test.sh) is registered once the checkpoint store is in.
