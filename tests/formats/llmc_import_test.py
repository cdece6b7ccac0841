#!/usr/bin/python3
"""parcae ckpt import-llmc: a small GPT-2 in llm.c's weights format (256 int32 header, magic
20240326, version 3, float32 tensors in llm.c's order), written here with numpy with a distinct
value in every parameter, becomes a parcae checkpoint in which every tensor holds exactly the
values llm.c's tensor of that name held (read back with h5py through the shard files' tensor
tables); the LM head is a copy of wte, the padded rows and the AdamW moments are zero, and
`parcae sample` runs from it. A wrong magic, a wrong size, a bfloat16 file and a config parcae
cannot build exit 2 with the reason. Usage: llmc_import_test.py PARCAE"""
import glob
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

parcae = sys.argv[1]
failures = []
T, V, L, NH, C = 16, 300, 2, 2, 8
VP = 384  # V rounded up to 128, as llm.c pads it


def llmc_tensors(rng):
    """llm.c's 16 tensors, in its order, each full of distinct values."""
    shapes = [("wte", (VP, C)), ("wpe", (T, C)), ("ln1w", (L, C)), ("ln1b", (L, C)),
              ("qkvw", (L, 3 * C, C)), ("qkvb", (L, 3 * C)), ("attprojw", (L, C, C)),
              ("attprojb", (L, C)), ("ln2w", (L, C)), ("ln2b", (L, C)), ("fcw", (L, 4 * C, C)),
              ("fcb", (L, 4 * C)), ("fcprojw", (L, C, 4 * C)), ("fcprojb", (L, C)),
              ("lnfw", (C,)), ("lnfb", (C,))]
    out = []
    for i, (name, shape) in enumerate(shapes):
        values = (rng.standard_normal(shape) + 10 * (i + 1)).astype(np.float32)
        if name == "wte":
            values[V:] = 0  # llm.c's padding rows are zero
        out.append((name, values))
    return out


def write_weights(path, tensors, magic=20240326, version=3, heads=NH, drop=0):
    header = np.zeros(256, np.int32)
    header[:8] = [magic, version, T, V, L, heads, C, VP]
    data = header.tobytes() + b"".join(t.tobytes() for _, t in tensors)
    with open(path, "wb") as f:
        f.write(data[:len(data) - drop])


def run(*args):
    p = subprocess.run([parcae] + list(args), capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


def tensor(h5, name):
    """A named tensor out of a parcae shard file (its tensors/<name> table: offset, shape)."""
    group = next(iter(h5.values()))
    view = group["tensors"][name]
    offset, shape = int(view.attrs["offset"]), tuple(int(s) for s in view.attrs["shape"])
    return group["param"][offset:offset + int(np.prod(shape))].reshape(shape), group


def check_import(d, tensors):
    src = os.path.join(d, "gpt2_small.bin")
    write_weights(src, tensors)
    out = os.path.join(d, "run")
    rc, text = run("ckpt", "import-llmc", src, "--out", out)
    if rc != 0:
        failures.append("import: exit %d: %s" % (rc, text))
        return
    step = os.path.join(out, "step-00000000")
    files = sorted(glob.glob(os.path.join(step, "layer-*.h5")))
    if len(files) != L + 2:
        failures.append("expected %d shard files, found %s" % (L + 2, files))
        return
    t = dict(tensors)
    # parcae name -> (layer file index, llm.c tensor, per-layer index or None)
    expected = {0: {"wte": t["wte"][:V], "wpe": t["wpe"]},
                L + 1: {"lnf.weight": t["lnfw"], "lnf.bias": t["lnfb"],
                        "lm_head.weight": t["wte"][:V]}}
    names = [("ln1.weight", "ln1w"), ("ln1.bias", "ln1b"), ("attn.qkv.weight", "qkvw"),
             ("attn.qkv.bias", "qkvb"), ("attn.proj.weight", "attprojw"),
             ("attn.proj.bias", "attprojb"), ("ln2.weight", "ln2w"), ("ln2.bias", "ln2b"),
             ("mlp.fc.weight", "fcw"), ("mlp.fc.bias", "fcb"), ("mlp.proj.weight", "fcprojw"),
             ("mlp.proj.bias", "fcprojb")]
    for l in range(1, L + 1):
        expected[l] = {ours: t[theirs][l - 1] for ours, theirs in names}
    for layer, tensors_of_layer in expected.items():
        with h5py.File(files[layer], "r") as h5:
            for name, want in tensors_of_layer.items():
                got, group = tensor(h5, name)
                rows = want.shape[0]
                if not np.array_equal(got[:rows], want):
                    failures.append("layer %d %s: values differ from llm.c's" % (layer, name))
                if name in ("wte", "lm_head.weight") and np.any(got[rows:] != 0):
                    failures.append("layer %d %s: padded rows are not zero" % (layer, name))
            for moment in ("adam_m", "adam_v"):
                if np.any(group[moment][:] != 0):
                    failures.append("layer %d: %s is not zero" % (layer, moment))
    rc, text = run("sample", "--checkpoint", out, "--tokens", "5", "--prompt", "1,2,3")
    if rc != 0 or len(text.split("\n")[-2].split(",")) < 1:
        failures.append("sample from the import: exit %d: %s" % (rc, text))
    # With llm.c's tokenizer table (gpt2_tokenizer.bin's format) the tokens print as their pieces.
    tok = os.path.join(d, "tokenizer.bin")
    header = np.zeros(256, np.uint32)
    header[:4] = [20240328, 2, V, V - 1]
    with open(tok, "wb") as f:
        f.write(header.tobytes())
        for i in range(V):
            piece = b"<%d>" % i
            f.write(bytes([len(piece)]) + piece)
    p = subprocess.run([parcae, "sample", "--checkpoint", out, "--tokens", "6", "--prompt", "1,2",
                        "--tokenizer", tok], capture_output=True, timeout=120)
    import re
    pieces = re.findall(rb"<(\d+)>", p.stdout)
    if p.returncode != 0 or not p.stdout.startswith(b"<1><2>") or len(pieces) != 8 or \
            p.stdout.strip() != b"".join(b"<%s>" % x for x in pieces):
        failures.append("sample with a tokenizer: exit %d: %r %r" % (p.returncode, p.stdout, p.stderr))
    rc, text = run("ckpt", "import-llmc", src, "--out", out)
    if rc != 2 or "already exists" not in text:
        failures.append("a second import over the first: exit %d: %s" % (rc, text))


def expect_refused(d, what, needle, **kwargs):
    src = os.path.join(d, what.replace(" ", "_") + ".bin")
    write_weights(src, llmc_tensors(np.random.default_rng(1)), **kwargs)
    rc, text = run("ckpt", "import-llmc", src, "--out", os.path.join(d, "refused"))
    if rc != 2 or needle not in text or src not in text:
        failures.append("%s: exit %d, expected 2 with '%s' naming the file: %s" %
                        (what, rc, needle, text))
    if os.path.exists(os.path.join(d, "refused", "step-00000000", "manifest.json")):
        failures.append("%s: a checkpoint was written anyway" % what)


with tempfile.TemporaryDirectory() as d:
    check_import(d, llmc_tensors(np.random.default_rng(0)))
    expect_refused(d, "wrong magic", "not an llm.c GPT-2 weights file", magic=20240520)
    expect_refused(d, "bfloat16", "version 5 is not supported", version=5)
    expect_refused(d, "truncated", "wrong size", drop=4)
    expect_refused(d, "heads", "parcae cannot build this model", heads=3)

for f in failures:
    print("FAIL:", f)
print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
