#!/usr/bin/python3
"""--data takes llm.c's token shards as they are (what its dev/data scripts write: 256 int32
header, magic 20240520, version 1, uint16 tokens), written here with numpy: one shard or a glob
trains a GPT-2-vocabulary model; a token >= 50257 is exit 2 naming the file and the position; a
truncated shard and a byte-level model meeting GPT-2 tokens are exit 2 with the reason.
Usage: llmc_data_test.py PARCAE"""
import os
import subprocess
import sys
import tempfile

import numpy as np

parcae = sys.argv[1]
failures = []
# The gpt2-124m preset shrunk (its vocabulary, 50257, is what llm.c's shards hold).
GPT2_SMALL = ["--model", "gpt2-124m", "--channels", "32", "--layers", "1", "--heads", "2",
              "--seq", "32", "--global-batch", "2", "--micro-batch", "2", "--steps", "2"]


def write_shard(path, tokens, magic=20240520, version=1, count=None):
    header = np.zeros(256, np.int32)
    header[0], header[1] = magic, version
    header[2] = len(tokens) if count is None else count
    with open(path, "wb") as f:
        f.write(header.tobytes())
        f.write(np.asarray(tokens, np.uint16).tobytes())


def train(*args):
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    p = subprocess.run([parcae, "train"] + list(args), capture_output=True, text=True, env=env,
                       timeout=120)
    return p.returncode, p.stdout + p.stderr


def expect(what, rc_want, args, *needles):
    rc, out = train(*args)
    if rc != rc_want:
        failures.append("%s: exit %d, expected %d: %s" % (what, rc, rc_want, out[-400:]))
        return
    for n in needles:
        if n not in out:
            failures.append("%s: %r not in the output: %s" % (what, n, out[-400:]))


with tempfile.TemporaryDirectory() as d:
    rng = np.random.default_rng(0)
    first, second = os.path.join(d, "tiny_train_000001.bin"), os.path.join(d, "tiny_train_000002.bin")
    write_shard(first, rng.integers(0, 50257, 3000))
    write_shard(second, rng.integers(0, 50257, 3000))
    expect("one shard", 0, GPT2_SMALL + ["--data", first], "step     2/2")
    expect("a glob of shards", 0, GPT2_SMALL + ["--data", os.path.join(d, "tiny_train_*.bin")],
           "step     2/2")

    over = rng.integers(0, 50257, 3000)
    over[1234] = 50300
    bad = os.path.join(d, "over.bin")
    write_shard(bad, over)
    expect("a token past the vocabulary", 2, GPT2_SMALL + ["--data", bad],
           "over.bin: token 1234 = 50300 is outside GPT-2's vocabulary of 50257")
    # ... also when it hides in the second shard of a glob.
    write_shard(os.path.join(d, "mixed_1.bin"), rng.integers(0, 50257, 100))
    os.rename(bad, os.path.join(d, "mixed_2.bin"))
    expect("a bad shard inside a glob", 2, GPT2_SMALL + ["--data", os.path.join(d, "mixed_*.bin")],
           "mixed_2.bin: token 1234")

    short = os.path.join(d, "short.bin")
    write_shard(short, rng.integers(0, 50257, 10), count=20)
    expect("a truncated shard", 2, GPT2_SMALL + ["--data", short],
           "short.bin: truncated or padded llm.c token file: header says 20")
    expect("GPT-2 tokens into a byte-level model", 2, ["--model", "tiny", "--steps", "1", "--data", first],
           "tiny_train_000001.bin: vocabulary of 50257 tokens does not fit the model's 256")
    expect("a glob matching nothing", 2, GPT2_SMALL + ["--data", os.path.join(d, "none_*.bin")],
           "no token file matches")

for f in failures:
    print("FAIL:", f)
print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
