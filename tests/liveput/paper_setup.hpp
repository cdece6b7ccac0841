#pragma once
// The paper's setting for the tests: GPT-1.5B profile, p2p table, p3trace.
#include <string>

#include "parcae/error.hpp"
#include "parcae/liveput/cost_model.hpp"
#include "parcae/trace/series.hpp"
#include "parcae/trace/trace.hpp"
#include "test_support.hpp"

namespace parcae::liveput::testing {

inline CostModel paper_model(CostConstants constants = {}) {
  using ::parcae::testing::shared_file;
  return CostModel(read_profile_file(shared_file("profiles/gpt-1.5b_mbs1_gbs128.csv").string()),
                   read_p2p_file(shared_file("profiles/p2p_10gbps.csv").string()),
                   paper_gpt_1_5b_layers(), constants, ConfigSpace{6, 32});
}

inline trace::Series p3trace() {
  using ::parcae::testing::shared_file;
  return trace::discretise(trace::read_trace_file(shared_file("traces/p3trace.csv").string()));
}

}  // namespace parcae::liveput::testing
