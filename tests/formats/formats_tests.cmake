# Formats users bring (issue 14): llm.c's token shards as --data, and llm.c's GPT-2 weights
# imported as a parcae checkpoint. The test files are written by the scripts with numpy
# (/usr/bin/python3 with Debian's python3-numpy, python3-h5py to read checkpoints back).
add_test(NAME formats.llmc_data
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/llmc_data_test.py $<TARGET_FILE:parcae>)
set_tests_properties(formats.llmc_data PROPERTIES TIMEOUT 180)
add_test(NAME formats.llmc_import
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/llmc_import_test.py $<TARGET_FILE:parcae>)
set_tests_properties(formats.llmc_import PROPERTIES TIMEOUT 180)
