#include <sstream>

#include "parcae/error.hpp"
#include "parcae/liveput/layers.hpp"
#include "parcae/liveput/p2p.hpp"
#include "parcae/liveput/profile.hpp"
#include "test_support.hpp"

namespace parcae::liveput {
namespace {

ThroughputTable parse(const std::string& text) {
  std::istringstream in(text);
  return parse_profile(in, "t.csv");
}

std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Profile, ParsesRowsAndTreatsMissingAsInfeasible) {
  const auto t = parse("dp,pp,iteration_ms,samples_per_s\n1,6,8836.921,14.485\r\n\n2,6,5281.473,24.236\n");
  EXPECT_DOUBLE_EQ(t.samples_per_s({1, 6}), 14.485);
  EXPECT_DOUBLE_EQ(t.samples_per_s({2, 6}), 24.236);
  EXPECT_EQ(t.samples_per_s({3, 6}), 0.0);
  EXPECT_EQ(t.samples_per_s({1, 7}), 0.0);
  EXPECT_EQ(t.samples_per_s({0, 0}), 0.0);
  EXPECT_EQ(t.max_dp(), 2);
}

TEST(Profile, BadInputNamesFileAndLine) {
  EXPECT_EQ(error_of(""), "t.csv:0: empty file (no header)");
  EXPECT_EQ(error_of("dp,pp,iteration_ms,samples_per_s\n"), "t.csv:1: no data rows");
  EXPECT_NE(error_of("dp,pp,iteration_ms,samples_per_s,gpu\n1,6,1,2,3\n").find("t.csv:1: header"),
            std::string::npos);
  EXPECT_NE(error_of("dp,pp,iteration_ms,samples_per_s\n1,6,-5,2\n").find("t.csv:2: column 'iteration_ms': negative"),
            std::string::npos);
  EXPECT_NE(error_of("dp,pp,iteration_ms,samples_per_s\n1,6,5,x\n").find("t.csv:2:"), std::string::npos);
  EXPECT_NE(error_of("dp,pp,iteration_ms,samples_per_s\n1,6,5\n").find("t.csv:2: expected 4"),
            std::string::npos);
  EXPECT_NE(error_of("dp,pp,iteration_ms,samples_per_s\n1.5,6,5,1\n").find("t.csv:2: column 'dp'"),
            std::string::npos);
  EXPECT_NE(error_of("dp,pp,iteration_ms,samples_per_s\n1,6,5,1\n1,6,5,1\n").find("t.csv:3: duplicate"),
            std::string::npos);
  EXPECT_THROW(read_profile_file("/nonexistent/x.csv"), InputError);
}

TEST(Profile, ReadsEverySharedTable) {
  for (const char* name : {"gpt-1.5b_mbs1_gbs128.csv", "gpt-6.7b_mbs1_gbs64.csv",
                           "bert_mbs8_gbs1024.csv", "resnet152_mbs32_gbs2048.csv",
                           "vgg19_mbs32_gbs2048.csv"}) {
    PARCAE_REQUIRE_SHARED(std::string("profiles/") + name);
    EXPECT_GT(read_profile_file(::parcae::testing::shared_file(std::string("profiles/") + name).string())
                  .rows().size(), 5u) << name;
  }
}

TEST(P2p, InterpolatesClampsAndScalesLikeTheArtifact) {
  std::istringstream in("bytes,microseconds\n4,142.907\n8,139.679\n1024,137.372\n");
  const P2pTable t = parse_p2p(in, "p.csv");
  EXPECT_DOUBLE_EQ(t.milliseconds(1), 0.142907);     // below the first row: first row's time
  EXPECT_DOUBLE_EQ(t.milliseconds(4), 0.142907);
  EXPECT_DOUBLE_EQ(t.milliseconds(6), (142.907 + (139.679 - 142.907) * 0.5) / 1000);
  EXPECT_DOUBLE_EQ(t.milliseconds(8), 0.139679);
  EXPECT_DOUBLE_EQ(t.milliseconds(2048), 2 * 0.137372);  // above the last: linear scaling
}

TEST(P2p, RejectsBadTables) {
  std::istringstream unsorted("bytes,microseconds\n8,1\n4,1\n");
  EXPECT_THROW(parse_p2p(unsorted, "p.csv"), InputError);
  std::istringstream wrong("size,us\n8,1\n");
  EXPECT_THROW(parse_p2p(wrong, "p.csv"), InputError);
}

TEST(P2p, SharedTableEmbeddingTransfer) {
  PARCAE_REQUIRE_SHARED("profiles/p2p_10gbps.csv");
  const P2pTable t = read_p2p_file(::parcae::testing::shared_file("profiles/p2p_10gbps.csv").string());
  // profiles/README.md: model_build(pp) ~ 234.8 + 430 ceil(48/pp)
  EXPECT_NEAR(t.milliseconds(50257.0 * 1024 * 4), 234.8, 0.05);
}

TEST(Layers, PaperPartitionOfGpt15b) {
  const LayerParams layers = paper_gpt_1_5b_layers();
  ASSERT_EQ(layers.size(), 50u);
  // pp = 8: chunk 6, 49 % 8 = 1 -> sizes [7,6,6,6,6,6,7,6]
  EXPECT_EQ(paper_partition(50, 8), (std::vector<int>{0, 7, 13, 19, 25, 31, 37, 44, 50}));
  // pp = 32: chunk 1, 17 extra layers to sizes[-2] .. sizes[-18]
  const auto b32 = paper_partition(50, 32);
  const auto p32 = stage_params(layers, b32);
  EXPECT_EQ(p32.front(), 82'124'800 + 30'740'800);
  EXPECT_EQ(p32.back(), 82'128'000);
  EXPECT_EQ(p32[13], 30'740'800);
  EXPECT_EQ(p32[14], 2 * 30'740'800);
  EXPECT_EQ(b32.back(), 50);
  std::int64_t total = 0;
  for (auto p : stage_params(layers, paper_partition(50, 13))) total += p;
  EXPECT_EQ(total, 82'124'800 + 48LL * 30'740'800 + 82'128'000);
  EXPECT_THROW(paper_partition(50, 50), InputError);
  EXPECT_THROW(paper_partition(50, 0), InputError);
}

TEST(Layers, GptShapeCountsParameters) {
  // GPT-2 small: 124 439 808 with tied embeddings; untied head adds vocab x C.
  const LayerParams l = gpt_layers(12, 768, 50257, 1024);
  std::int64_t total = 0;
  for (auto p : l) total += p;
  EXPECT_EQ(total, 124'439'808 + 50257LL * 768);
}

}  // namespace
}  // namespace parcae::liveput
