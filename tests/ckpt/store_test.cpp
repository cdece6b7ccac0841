// The checkpoint store: shard files round trip bit for bit, every damage is
// named, manifests name their missing fields, incomplete checkpoints are
// never listed, pruning keeps the newest K.
#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "parcae/ckpt/catalog.hpp"
#include "parcae/ckpt/checkpoint.hpp"
#include "parcae/ckpt/manifest.hpp"
#include "parcae/ckpt/paths.hpp"
#include "parcae/ckpt/shard_file.hpp"
#include "parcae/error.hpp"
#include "parcae/model/shard.hpp"
#include "parcae/rng.hpp"
#include "test_support.hpp"

namespace parcae::ckpt {
namespace {

using testing::TempDir;

const model::GptConfig kTiny = model::GptConfig::preset("tiny");

// A shard as training leaves it: initialised parameters, moments that are not
// zero (random bits, negative zeros and subnormals included) and a step.
model::Shard trained_shard(const model::GptConfig& cfg, int layer) {
  model::Shard s = model::make_shard(cfg, layer, 7);
  Rng rng(100 + layer);
  for (auto& x : s.adam_m) x = static_cast<float>(rng.normal()) * 1e-3f;
  for (auto& x : s.adam_v) x = static_cast<float>(rng.uniform()) * 1e-6f;
  s.adam_m[0] = -0.0f;
  s.adam_v[1] = 1e-42f;  // subnormal
  s.step = 41;
  return s;
}

Manifest manifest_for(const model::GptConfig& cfg, std::int64_t step) {
  Manifest m;
  m.model = cfg;
  m.step = step;
  m.tokens_seen = step * 512;
  m.seed = 1337;
  m.layout = {2, 3, 7};
  m.training = {{"lr", 1e-3}};
  return m;
}

std::vector<model::Shard> all_shards(const model::GptConfig& cfg) {
  std::vector<model::Shard> shards;
  for (int l = 0; l < cfg.num_layers(); ++l) shards.push_back(trained_shard(cfg, l));
  return shards;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
void write_text(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

std::string input_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

TEST(Paths, StepFoldersHaveEightDigitsAndParseBack) {
  EXPECT_EQ(step_dir("ck", "default", 42), fs::path("ck/default/step-00000042"));
  EXPECT_EQ(shard_file_name(3), "layer-0003.h5");
  EXPECT_EQ(parse_step_dir_name("step-00000042"), 42);
  EXPECT_EQ(parse_step_dir_name("step-99999999"), kMaxStep);
  EXPECT_FALSE(parse_step_dir_name("step-0000004"));
  EXPECT_FALSE(parse_step_dir_name("step-0000004x"));
  EXPECT_FALSE(parse_step_dir_name("stop-00000042"));
  EXPECT_THROW(step_dir_name(kMaxStep + 1), InputError);
  EXPECT_THROW(step_dir_name(-1), InputError);
  for (const char* bad : {"", ".", "..", "a/b"}) EXPECT_THROW(run_dir("ck", bad), InputError) << bad;
}

TEST(ShardFile, RoundTripIsBitExactForEveryLayerKind) {
  TempDir dir;
  for (int layer : {0, 1, kTiny.num_layers() - 1}) {  // embedding, block, head
    const auto shard = trained_shard(kTiny, layer);
    const auto record = write_shard(dir.path(), kTiny, shard);
    EXPECT_EQ(record.file, shard_file_name(layer));
    EXPECT_EQ(record.bytes, static_cast<std::int64_t>(fs::file_size(dir.path() / record.file)));
    EXPECT_EQ(record.checksum, shard.checksum());
    EXPECT_EQ(record.datasets, shard.buffer_checksums());
    const auto back = read_shard(dir.path(), kTiny, record);
    EXPECT_EQ(back, shard) << layer;  // float ==, and the bits of -0 and the subnormal:
    EXPECT_EQ(std::memcmp(back.adam_m.data(), shard.adam_m.data(), 4 * shard.adam_m.size()), 0);
  }
  // Nothing but the shard files: no temporary left behind.
  EXPECT_EQ(dir.entries(), 3);
}

TEST(ShardFile, FlippedByteIsNamed) {
  TempDir dir;
  auto shard = trained_shard(kTiny, 1);
  shard.adam_v[100] = 12345.678f;  // a pattern to find in the file
  const auto record = write_shard(dir.path(), kTiny, shard);
  const fs::path file = dir.path() / record.file;
  std::string bytes = read_text(file);
  char pattern[4];
  std::memcpy(pattern, &shard.adam_v[100], 4);
  const auto at = bytes.find(std::string(pattern, 4));
  ASSERT_NE(at, std::string::npos);
  bytes[at + 1] ^= 0x01;
  write_text(file, bytes);
  const std::string message = input_error([&] { read_shard(dir.path(), kTiny, record); });
  EXPECT_NE(message.find(file.string() + ": checksum mismatch in adam_v"), std::string::npos)
      << message;
}

TEST(ShardFile, NotHdf5WrongShapeMissingFileAreNamed) {
  TempDir dir;
  const auto record = write_shard(dir.path(), kTiny, trained_shard(kTiny, 1));
  const fs::path file = dir.path() / record.file;

  // A bigger model's record: same layer, other sizes.
  model::GptConfig wide = kTiny;
  wide.channels *= 2;
  EXPECT_NE(input_error([&] { read_shard(dir.path(), wide, record); }).find("wrong shape"),
            std::string::npos);

  write_text(file, "not a shard at all\n");
  EXPECT_EQ(input_error([&] { read_shard(dir.path(), kTiny, record); }),
            file.string() + ": not an HDF5 file");

  fs::remove(file);
  EXPECT_EQ(input_error([&] { read_shard(dir.path(), kTiny, record); }),
            file.string() + ": missing shard file");
}

TEST(ShardFile, TruncatedOrForeignShardIsNamed) {
  TempDir dir;
  const auto record = write_shard(dir.path(), kTiny, trained_shard(kTiny, 2));
  // Another checkpoint's shard of the same layer in its place.
  TempDir other;
  auto later = trained_shard(kTiny, 2);
  later.param[0] += 1.0f;
  write_shard(other.path(), kTiny, later);
  fs::copy_file(other.path() / record.file, dir.path() / record.file,
                fs::copy_options::overwrite_existing);
  EXPECT_NE(input_error([&] { read_shard(dir.path(), kTiny, record); }).find(
                "checksum mismatch in param: the file says"),
            std::string::npos);
  // Cut short (HDF5 notices its end is missing), or grown.
  const std::string where = (dir.path() / record.file).string();
  fs::resize_file(dir.path() / record.file, record.bytes / 2);
  const std::string cut = input_error([&] { read_shard(dir.path(), kTiny, record); });
  EXPECT_EQ(cut.find(where + ": "), 0u) << cut;
  EXPECT_NE(cut.find("truncated"), std::string::npos) << cut;
  write_shard(dir.path(), kTiny, trained_shard(kTiny, 2));
  { std::ofstream(where, std::ios::app) << "trailing bytes"; }
  EXPECT_EQ(input_error([&] { read_shard(dir.path(), kTiny, record); }),
            where + ": " + std::to_string(record.bytes + 14) + " bytes, the manifest says " +
                std::to_string(record.bytes) + " (truncated or replaced)");
}

TEST(ShardFile, ShardOfAnotherShapeIsRefusedBeforeWriting) {
  TempDir dir;
  auto shard = trained_shard(kTiny, 1);
  shard.adam_m.pop_back();
  EXPECT_THROW(write_shard(dir.path(), kTiny, shard), InputError);
  EXPECT_EQ(dir.entries(), 0);
}

TEST(Manifest, JsonRoundTrip) {
  TempDir dir;
  const auto step = dir.path() / "step-00000005";
  const Manifest written = write_checkpoint(step, manifest_for(kTiny, 5), all_shards(kTiny));
  const Manifest back = read_manifest(step);
  EXPECT_EQ(back.model, kTiny);
  EXPECT_EQ(back.step, 5);
  EXPECT_EQ(back.tokens_seen, 5 * 512);
  EXPECT_EQ(back.seed, 1337u);
  EXPECT_EQ(back.layout, (WriterLayout{2, 3, 7}));
  EXPECT_EQ(back.shards, written.shards);
  EXPECT_EQ(back.training, written.training);
  EXPECT_EQ(back.program_version, PARCAE_VERSION);
  EXPECT_FALSE(back.created.empty());
  EXPECT_EQ(back.bytes(), written.bytes());
  // And a stage reads its layers back as they were.
  const auto middle = read_layers(step, back, 2, 4);
  ASSERT_EQ(middle.size(), 2u);
  EXPECT_EQ(middle[0], trained_shard(kTiny, 2));
  EXPECT_EQ(middle[1], trained_shard(kTiny, 3));
}

TEST(Manifest, MissingOrBadFieldIsNamed) {
  TempDir dir;
  const auto step = dir.path() / "step-00000001";
  write_checkpoint(step, manifest_for(kTiny, 1), all_shards(kTiny));
  const auto good = nlohmann::json::parse(read_text(step / kManifestName));
  const std::string where = (step / kManifestName).string();
  auto rejection = [&](const std::function<void(nlohmann::json&)>& damage) {
    auto j = good;
    damage(j);
    write_text(step / kManifestName, j.dump());
    return input_error([&] { read_manifest(step); });
  };
  EXPECT_EQ(rejection([](auto& j) { j["model"].erase("channels"); }),
            where + ": missing field 'model.channels'");
  EXPECT_EQ(rejection([](auto& j) { j.erase("tokens_seen"); }),
            where + ": missing field 'tokens_seen'");
  EXPECT_EQ(rejection([](auto& j) { j["shards"][2].erase("bytes"); }),
            where + ": missing field 'shards[2].bytes'");
  EXPECT_EQ(rejection([](auto& j) { j["shards"][1]["xxh3"]["adam_v"] = "12"; }),
            where + ": field 'shards[1].xxh3.adam_v' is not 16 hex digits");
  EXPECT_EQ(rejection([](auto& j) { j["step"] = -3; }),
            where + ": field 'step' is out of range [0, 99999999]");
  EXPECT_EQ(rejection([](auto& j) { j["shards"].erase(3); }),
            where + ": 5 shards for a model of 6 layers");
  EXPECT_NE(rejection([](auto&) {}).find("(no InputError)"), std::string::npos);
  write_text(step / kManifestName, "{ truncated");
  EXPECT_NE(input_error([&] { read_manifest(step); }).find(where + ": not JSON"),
            std::string::npos);
}

TEST(Manifest, DifferentModelIsNamedByField) {
  const Manifest m = manifest_for(kTiny, 1);
  EXPECT_NO_THROW(check_same_model(m, kTiny));
  model::GptConfig other = kTiny;
  other.micro_batch = 1;  // the same state, split differently
  EXPECT_NO_THROW(check_same_model(m, other));
  other.heads = 2;
  EXPECT_EQ(input_error([&] { check_same_model(m, other); }),
            "checkpoint's model differs: heads is 4 in the checkpoint, 2 in this run");
}

TEST(Catalog, IncompleteCheckpointsAreNeverListed) {
  TempDir dir;
  const fs::path run = dir.path() / "default";
  EXPECT_TRUE(list_checkpoints(run).empty());  // no folder yet
  EXPECT_FALSE(newest_checkpoint(run));
  write_checkpoint(step_dir(run, 3), manifest_for(kTiny, 3), all_shards(kTiny));
  // Step 7 was cut off before its manifest: shards only.
  write_shard(step_dir(run, 7), kTiny, trained_shard(kTiny, 0));
  fs::create_directories(run / "notes");  // not a step folder: ignored
  const auto listed = list_checkpoints(run);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].step, 3);
  EXPECT_EQ(newest_checkpoint(run), step_dir(run, 3));
  ASSERT_EQ(list_incomplete(run).size(), 1u);
  EXPECT_EQ(list_incomplete(run)[0].step, 7);
}

TEST(Catalog, PruneKeepsTheNewestAndTouchesNothingElse) {
  TempDir dir;
  const fs::path run = dir.path() / "r";
  const auto shards = all_shards(kTiny);
  write_shard(step_dir(run, 1), kTiny, shards[0]);  // stale: older than the newest complete
  for (int step : {2, 4, 6, 8}) write_checkpoint(step_dir(run, step), manifest_for(kTiny, step), shards);
  write_shard(step_dir(run, 9), kTiny, shards[0]);  // newer: maybe being written
  fs::create_directories(run / "step-x");
  write_text(run / "README", "mine");
  prune_checkpoints(run, 2);
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(run)) left.push_back(e.path().filename().string());
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"README", "step-00000006", "step-00000008",
                                            "step-00000009", "step-x"}));
  EXPECT_TRUE(verify_checkpoint(step_dir(run, 6)).ok());
  EXPECT_THROW(prune_checkpoints(run, 0), InputError);
}

TEST(Verify, ReportsEveryDamagedShard) {
  TempDir dir;
  const auto step = dir.path() / "step-00000002";
  write_checkpoint(step, manifest_for(kTiny, 2), all_shards(kTiny));
  auto v = verify_checkpoint(step);
  EXPECT_TRUE(v.ok());
  EXPECT_EQ(v.step, 2);
  EXPECT_EQ(v.bytes, read_manifest(step).bytes());
  write_text(step / shard_file_name(1), "garbage");
  fs::remove(step / shard_file_name(4));
  v = verify_checkpoint(step);
  ASSERT_EQ(v.problems.size(), 2u);
  EXPECT_NE(v.problems[0].find("layer-0001.h5: not an HDF5 file"), std::string::npos);
  EXPECT_NE(v.problems[1].find("layer-0004.h5: missing shard file"), std::string::npos);
  fs::remove(step / kManifestName);
  v = verify_checkpoint(step);
  ASSERT_EQ(v.problems.size(), 1u);
  EXPECT_NE(v.problems[0].find("no manifest"), std::string::npos);
}

TEST(Writable, ReadOnlyFolderIsInputErrorAndLeftAlone) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into read-only folders; tests/ckpt/bad_dirs.sh covers it";
  TempDir dir;
  fs::permissions(dir.path(), fs::perms::owner_read | fs::perms::owner_exec);
  EXPECT_NE(input_error([&] { check_writable(dir.path() / "run", 1); }).find("cannot create"),
            std::string::npos);
  EXPECT_THROW(write_shard(dir.path(), kTiny, trained_shard(kTiny, 0)), IoError);
  fs::permissions(dir.path(), fs::perms::owner_all);
  EXPECT_EQ(dir.entries(), 0);
}

TEST(Writable, TooLittleRoomIsInputError) {
  TempDir dir;
  EXPECT_NO_THROW(check_writable(dir.path() / "run", 1));
  EXPECT_NE(input_error([&] { check_writable(dir.path() / "run", INT64_MAX); })
                .find("not enough room for a checkpoint"),
            std::string::npos);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path() / "run"), {}), 0);
  fs::remove(dir.path() / "run");
  EXPECT_THROW(check_writable(dir.path() / "a" / "b", INT64_MAX), InputError);
  EXPECT_EQ(dir.entries(), 0);  // the folders it made are gone again
}

}  // namespace
}  // namespace parcae::ckpt
