#!/usr/bin/env bash
# Installs what parcae needs to build and test on Debian 12, skipping what is
# already there (apt-get update runs only when something is missing).
# The CUDA toolkit is optional and not installed here: where /usr/local/cuda
# exists, the build compiles the CUDA kernels too.
set -euo pipefail
packages=(
  build-essential cmake git pkg-config
  libopenmpi-dev openmpi-bin          # MPI ranks
  libhdf5-dev                         # checkpoints (serial HDF5, not the -openmpi flavour)
  hdf5-tools python3-h5py             # checkpoint tests read shards with h5ls/h5dump and h5py
  libxxhash-dev                       # XXH3 checksums of shards
  libboost-program-options-dev        # command line and INI files
  libgtest-dev                        # unit tests
  libopenblas-dev                     # SGEMM (the reference libblas is ~16x slower)
  nlohmann-json3-dev                  # --json output and metrics
  python3                             # test scripts that read JSON and drive hostile inputs
  python3-matplotlib python3-numpy    # tools/plot_timeline.py; llm.c-format test files
  slurmctld slurmd slurm-client munge # jobs/*.sbatch, tested on a real one-node cluster
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  # As root (CI, containers without sudo) apt-get runs directly; otherwise through sudo.
  apt=(env DEBIAN_FRONTEND=noninteractive apt-get)
  [ "$(id -u)" -eq 0 ] || apt=(sudo "${apt[@]}")
  "${apt[@]}" update -qq
  "${apt[@]}" install -y --no-install-recommends "${missing[@]}"
fi
