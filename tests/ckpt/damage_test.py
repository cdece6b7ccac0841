#!/usr/bin/python3
"""damage_test.py PARCAE: parcae ckpt on real checkpoint files (written by
`parcae ckpt init`), read by the HDF5 tools and h5py as ordinary HDF5, then
damaged every way the issue lists: each damage makes `ckpt verify` exit 2
naming the file and the problem, and leaves the other checkpoints whole.

/usr/bin/python3 on purpose: Debian's python3-h5py imports only there."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

PARCAE = sys.argv[1]
failures = []


def run(*args):
    p = subprocess.run([PARCAE, *args], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


def expect(code, needle, *args):
    got, out = run(*args)
    if got != code or needle not in out:
        failures.append(f"parcae {' '.join(args)}: exit {got} (want {code}), "
                        f"output lacks {needle!r}:\n{out}")
    return out


def digest_tree(root):
    h = hashlib.sha256()
    for base, dirs, files in sorted(os.walk(root)):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(base, f)
            h.update(p.encode())
            with open(p, "rb") as fh:
                h.update(fh.read())
    return h.hexdigest()


def fresh(top, run_name, step):
    expect(0, "6 shards", "ckpt", "init", "--model", "tiny", "--checkpoint-dir", top,
           "--run", run_name, "--step", str(step))
    return os.path.join(top, run_name, f"step-{step:08d}")


def tools_read_it(step):
    """h5ls and h5dump list and print a shard; h5py reads it and its views."""
    shard = os.path.join(step, "layer-0001.h5")
    if shutil.which("h5ls") and shutil.which("h5dump"):
        out = subprocess.run(["h5ls", "-r", shard], capture_output=True, text=True).stdout
        for name in ("/layer-0001/param", "/layer-0001/adam_m", "/layer-0001/adam_v",
                     "/layer-0001/tensors/attn.qkv.weight"):
            if name not in out:
                failures.append(f"h5ls -r {shard} lacks {name}:\n{out}")
        out = subprocess.run(["h5dump", "-a", "/layer-0001/param/xxh3", shard],
                             capture_output=True, text=True).stdout
        if "H5T_STD_U64LE" not in out:
            failures.append(f"h5dump of the param checksum:\n{out}")
    else:
        print("skipped: h5ls/h5dump missing (Debian hdf5-tools)")
    try:
        import h5py
    except ImportError:
        print("skipped: h5py missing (Debian python3-h5py)")
        return
    with open(os.path.join(step, "manifest.json")) as fh:
        manifest = json.load(fh)
    with h5py.File(shard, "r") as f:
        g = f["layer-0001"]
        assert int(g.attrs["layer"]) == 1 and g.attrs["kind"] == "block", dict(g.attrs)
        param = g["param"][...]
        assert param.dtype.name == "float32" and param.shape == (int(g.attrs["floats"]),)
        view = g["tensors/attn.qkv.weight"]
        rows, cols = (int(x) for x in view.attrs["shape"])
        qkv = param[int(view.attrs["offset"]):][:rows * cols].reshape(rows, cols)
        assert rows == 3 * manifest["model"]["channels"] and qkv.std() > 0.01, (rows, qkv.std())
        assert format(int(g["param"].attrs["xxh3"]), "016x") == manifest["shards"][1]["xxh3"]["param"]
        ln = g["tensors/ln1.weight"]
        assert (param[int(ln.attrs["offset"]):][:manifest["model"]["channels"]] == 1).all()


def flip_byte_in_data(shard, dataset):
    """Flips one bit inside a dataset's raw data (found by h5py, else mid-file)."""
    try:
        import h5py
        with h5py.File(shard, "r") as f:
            at = f[next(iter(f))][dataset].id.get_offset() + 100
    except ImportError:
        at = os.path.getsize(shard) // 2
    with open(shard, "r+b") as fh:
        fh.seek(at)
        b = fh.read(1)
        fh.seek(at)
        fh.write(bytes([b[0] ^ 0x10]))


def main():
    top = tempfile.mkdtemp(prefix="parcae_ckpt_test_")
    try:
        good = fresh(top, "good", 3)
        expect(0, "ok ", "ckpt", "verify", good)
        expect(0, "step 3", "ckpt", "ls", top)
        out = expect(0, '"step": 3', "ckpt", "inspect", os.path.join(top, "good"), "--json")
        tools_read_it(good)

        # Incomplete (no manifest): listed as such, never verified as a checkpoint.
        half = os.path.join(top, "good", "step-00000004")
        shutil.copytree(good, half)
        os.remove(os.path.join(half, "manifest.json"))
        expect(0, "incomplete", "ckpt", "ls", os.path.join(top, "good"))
        expect(2, "no complete checkpoint", "ckpt", "verify", half)
        empty = os.path.join(top, "empty")
        os.makedirs(empty)
        expect(2, "no complete checkpoint", "ckpt", "verify", empty)
        shutil.rmtree(half)

        damages = {
            "flipped": (lambda d: flip_byte_in_data(os.path.join(d, "layer-0002.h5"), "adam_m"),
                        "layer-0002.h5: checksum mismatch in adam_m"),
            "not_hdf5": (lambda d: open(os.path.join(d, "layer-0003.h5"), "w").write("text\n"),
                         "layer-0003.h5: not an HDF5 file"),
            "no_field": (lambda d: drop_manifest_field(d, "tokens_seen"),
                         "missing field 'tokens_seen'"),
            "wrong_shape": (lambda d: reshape_dataset(os.path.join(d, "layer-0001.h5"), "adam_v"),
                            "layer-0001.h5: wrong shape: dataset 'adam_v' is [10]"),
            "no_dataset": (lambda d: delete_dataset(os.path.join(d, "layer-0004.h5"), "adam_m"),
                           "layer-0004.h5: missing dataset 'adam_m'"),
        }
        before = digest_tree(os.path.join(top, "good"))
        for name, (damage, message) in damages.items():
            if name in ("wrong_shape", "no_dataset") and not has_h5py():
                print(f"skipped {name}: h5py missing (Debian python3-h5py)")
                continue
            step = fresh(top, name, 1)
            damage(step)
            expect(2, message, "ckpt", "verify", step)
            expect(2, "1 of 1 checkpoint(s) damaged", "ckpt", "verify", os.path.join(top, name))
        if digest_tree(os.path.join(top, "good")) != before:
            failures.append("verifying damaged checkpoints changed a good one")
        expect(0, "ok ", "ckpt", "verify", os.path.join(top, "good"))
        bad_dirs(top, good)
    finally:
        shutil.rmtree(top, ignore_errors=True)
    for f in failures:
        print("FAIL:", f)
    if not failures:
        print("ckpt damage tests: all named")
    return 1 if failures else 0


def has_h5py():
    try:
        import h5py  # noqa: F401
        return True
    except ImportError:
        return False


def drop_manifest_field(step, field):
    path = os.path.join(step, "manifest.json")
    with open(path) as fh:
        m = json.load(fh)
    del m[field]
    with open(path, "w") as fh:
        json.dump(m, fh)


def reshape_dataset(shard, dataset):
    import h5py
    import numpy
    with h5py.File(shard, "r+") as f:
        g = f[next(iter(f))]
        checksum = g[dataset].attrs["xxh3"]
        del g[dataset]
        g.create_dataset(dataset, data=numpy.zeros(10, dtype="float32"))
        g[dataset].attrs["xxh3"] = checksum


def delete_dataset(shard, dataset):
    import h5py
    with h5py.File(shard, "r+") as f:
        del f[next(iter(f))][dataset]


def bad_dirs(top, good):
    """A read-only and a full checkpoint dir: exit 2 naming it, nothing there
    modified. As root, permissions do not stop writes: a read-only and a tiny
    tmpfs are mounted instead (skipped, said, where mounting is refused)."""
    ro = os.path.join(top, "ro")
    shutil.copytree(os.path.dirname(good), os.path.join(ro, "good"))
    before = digest_tree(ro)
    mounted = []

    def mount(*args):
        if subprocess.run(["mount", *args], capture_output=True).returncode != 0:
            return False
        if args[-1] not in mounted:
            mounted.append(args[-1])
        return True

    try:
        if os.geteuid() != 0:
            os.chmod(os.path.join(ro, "good"), 0o555)
            os.chmod(ro, 0o555)
        elif not (mount("--bind", ro, ro) and mount("-o", "remount,bind,ro", ro, ro)):
            print("skipped: read-only dir (cannot mount here)")
            return
        for run_name in ("good", "new"):
            expect(2, "cannot ", "ckpt", "init", "--model", "tiny", "--checkpoint-dir", ro,
                   "--run", run_name, "--step", "9")
        if digest_tree(ro) != before:
            failures.append("a refused checkpoint modified the read-only dir")
        full = os.path.join(top, "full")
        os.makedirs(full)
        if os.geteuid() == 0 and mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", full):
            expect(2, "not enough room for a checkpoint", "ckpt", "init", "--model", "tiny",
                   "--checkpoint-dir", full)
            if os.listdir(full):
                failures.append(f"a refused checkpoint left {os.listdir(full)}")
            print("read-only and full dirs refused, nothing modified")
        else:
            print("skipped: full dir (needs root to mount a small tmpfs)")
    finally:
        for m in reversed(mounted):
            subprocess.run(["umount", m])
        if os.geteuid() != 0:
            os.chmod(os.path.join(ro, "good"), 0o755)
            os.chmod(ro, 0o755)


if __name__ == "__main__":
    sys.exit(main())
