// A whole model out of a checkpoint (see load_model.hpp).
#include "parcae/sample/load_model.hpp"

#include <system_error>

#include "parcae/ckpt/catalog.hpp"
#include "parcae/ckpt/checkpoint.hpp"
#include "parcae/ckpt/paths.hpp"
#include "parcae/error.hpp"

namespace parcae::sample {

namespace fs = std::filesystem;

namespace {

fs::path checkpoint_folder(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec))
    throw InputError(path.string() + ": " +
                     (fs::exists(path, ec) ? "not a folder" : "no such checkpoint") +
                     " (--checkpoint takes a checkpoint folder or a run folder)");
  if (ckpt::is_complete(path)) return path;
  if (ckpt::parse_step_dir_name(path.filename().string()))
    throw InputError(path.string() + ": incomplete checkpoint (no manifest.json: its writing " +
                     "never finished)");
  if (const auto newest = ckpt::newest_checkpoint(path)) return *newest;
  throw InputError(path.string() + ": no complete checkpoint in this folder " +
                   "(step-NNNNNNNN folders with a manifest.json)");
}

}  // namespace

LoadedModel load_model(const fs::path& path) {
  LoadedModel loaded;
  loaded.step_dir = checkpoint_folder(path);
  loaded.manifest = ckpt::read_manifest(loaded.step_dir);
  loaded.shards = ckpt::read_layers(loaded.step_dir, loaded.manifest, 0,
                                    loaded.manifest.model.num_layers());
  return loaded;
}

}  // namespace parcae::sample
