#!/usr/bin/env python3
"""Every command and subcommand of `parcae`, run with hostile values for every
numeric and path option it lists in --help (issue 10, "make it stay fixed").

The options are discovered from each command's --help, so an option added
later is covered without touching this file; a command needs an entry in
BASE (a cheap valid invocation) only to be exercised from a working start
(without one it runs with the hostile option alone). Each run asserts:

  - exit 0 or 2; 1 only for a path value (a genuine I/O failure), never a
    signal, never past its timeout;
  - no file that existed before the run changed after a failed one (inputs
    never change at all), and a failed run leaves no new file behind;
  - a numeric value outside the option's printed range is exit 2 naming the
    option.

usage: hostile_options.py PARCAE [--jobs 2] [--timeout 20] [--mpirun | --mpirun-only]
(--mpirun: the MPI commands also once per option under `mpirun -np 3`, where
the message must appear exactly once.)
"""
import argparse
import concurrent.futures
import hashlib
import math
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

NUMBERS = ["nan", "inf", "-inf", "0", "-1", "1e18", "9223372036854775808", "1e-9", "12x"]
PATH_INPUT = ["{DIR}", "/dev/full", "{MISSING}", "{EMPTY}", "{GARBAGE}", "{BOM_TRACE}"]
PATH_OUTPUT = ["{DIR}", "/dev/full", "{INPUT}", "{MISSING_DIR}/x", "{EXISTING}"]
STRINGS = ["", ",", "nan", "x" * 5000]

# A cheap valid run of each command; {OUT} is the run's own folder.
TINY_TRAIN = ["--model", "tiny", "--steps", "2", "--global-batch", "2", "--micro-batch", "1",
              "--seq", "16", "--threads", "1"]
BASE = {
    "trace show": ["{TRACE}"],
    "trace gen": ["--intervals", "30", "--out", "{OUT}/gen.csv"],
    "trace fit": ["{TRACE}"],
    "predict": ["--trace", "{TRACE}", "--horizon", "2", "--history", "3",
                "--predictors", "last-value"],
    "plan": ["--profile", "{PROFILE}", "--nodes", "4", "--future", "4,0,0;4,0,0"],
    "simulate": ["--trace", "{TRACE}", "--profile", "{PROFILE}", "--look-ahead", "2",
                 "--policies", "ideal,reactive", "--timeline", "{OUT}/timeline.jsonl"],
    "bench optimizer": ["--trace", "{TRACE}", "--profile", "{PROFILE}"],
    "bench gemm": ["--m", "8", "--n", "8", "--k", "8", "--repeats", "1"],
    "bench step": ["--model", "tiny", "--steps", "1", "--warmup", "0", "--micro-batch", "1",
                   "--seq", "8"],
    "bench pipeline": ["--model", "tiny"],
    "bench migrate": ["--models", "tiny"],
    "bench decode": ["--model", "tiny", "--tokens", "8", "--lengths", "2"],
    "sample": ["--checkpoint", "{CKPT}", "--tokens", "4"],
    "ckpt import-llmc": ["{LLMC}", "--out", "{OUT}/imported"],
    "bench ckpt": ["--models", "tiny", "--repeats", "1", "--dir", "{OUT}"],
    "ckpt init": ["--model", "tiny", "--checkpoint-dir", "{OUT}/ck"],
    "data prepare": ["--text", "{TEXT}", "--out", "{OUT}/d.bin"],
    "train": TINY_TRAIN + ["--data", "{TOKENS}", "--metrics", "{OUT}/metrics.jsonl"],
    "profile": ["--model", "tiny", "--out", "{OUT}/profile.csv"],
}
# Commands that run under mpirun (alone they refuse, after parsing).
MPI_COMMANDS = {"train", "profile", "bench pipeline", "bench migrate"}
MPI_BASE = {
    "train": TINY_TRAIN + ["--data", "{TOKENS}", "--metrics", "{OUT}/metrics.jsonl"],
    "profile": ["--model", "tiny", "--steps", "1", "--repeats", "1", "--max-dp", "1",
                "--max-pp", "1", "--seq", "16", "--out", "{OUT}/profile.csv"],
    "bench pipeline": ["--model", "tiny", "--steps", "1", "--stages", "1",
                       "--micro-batches", "2", "--seq", "16"],
    "bench migrate": ["--models", "tiny"],
}

OPTION_LINE = re.compile(r"^  (?:-\w \[ )?--([\w-]+)(?: \])?(?: (\S+(?: \S+)*?))?(?:\s{2,}|$)")
RANGE = re.compile(r"^([\[(])([^,]+), ([^\])]+)([\])])")


def run(cmd, timeout, cwd, env):
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                           start_new_session=True)
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"), \
            time.monotonic() - start
    except subprocess.TimeoutExpired as e:
        return None, (e.stdout or b"").decode(errors="replace"), \
            (e.stderr or b"").decode(errors="replace"), time.monotonic() - start


def discover(parcae, env):
    """[(command words, {option: value text})] from the help screens."""
    def help_of(words):
        p = subprocess.run([parcae, *words, "--help"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, env=env, timeout=30)
        return p.returncode, p.stdout.decode(errors="replace")

    def commands_in(text):
        names, on = [], False
        for line in text.splitlines():
            if re.match(r"^(commands|targets):", line):
                on = True
                continue
            m = re.match(r"^  ([a-z][\w-]*)\s{2,}", line)
            if on and m:
                names.append(m.group(1))
            elif on and line.strip() == "":
                on = bool(names) is False and on
        return names

    def options_in(text):
        opts = {}
        for line in text.splitlines():
            m = OPTION_LINE.match(line)
            if m:
                opts[m.group(1)] = m.group(2) or ""
        return opts

    found = []
    _, top = help_of([])
    for name in commands_in(top):
        rc, text = help_of([name])
        subs = commands_in(text)
        if not subs:  # trace and data list their actions in a usage line
            m = re.search(r"parcae %s ([a-z][a-z|-]*)" % name, text)  # import-llmc: a hyphen
            if m and "|" in m.group(1):
                subs = m.group(1).split("|")
            elif m and not options_in(text):
                subs = [m.group(1)]
        if subs:
            for sub in subs:
                _, t = help_of([name, sub])
                found.append(([name, sub], options_in(t)))
        else:
            found.append(([name], options_in(text)))
    return found


def parse_range(text):
    m = RANGE.match(text)
    if not m:
        return None
    try:
        return (m.group(1) == "(", float(m.group(2)), float(m.group(3)), m.group(4) == ")")
    except ValueError:
        return None


def outside(value, rng):
    """True when `value` is certainly refused by a range printed as `rng` (an
    integer option also refuses 1e-9, but --help does not tell which it is)."""
    try:
        v = float(value)
    except ValueError:
        return True
    if math.isnan(v) or math.isinf(v):
        return True
    lo_open, lo, hi, hi_open = rng
    return (v <= lo if lo_open else v < lo) or (v >= hi if hi_open else v > hi)


class Fixtures:
    def __init__(self, root, parcae, env):
        self.root = root
        f = os.path.join(root, "fixtures")
        os.makedirs(f)
        self.dir = os.path.join(f, "a_folder")
        os.makedirs(self.dir)
        self.trace = os.path.join(f, "trace.csv")
        lines = []
        for i in range(6):
            lines.append("%d,add,n%d" % (i * 1000, i))
        for k in range(1, 60):
            lines.append("%d,%s,n%d" % (k * 60000 + 5, "remove" if k % 3 == 0 else "add", k % 6))
        self._write(self.trace, "\n".join(lines) + "\n")
        self.bom_trace = os.path.join(f, "bom.csv")
        self._write(self.bom_trace, "\ufeff" + "\n".join(lines) + "\n")
        self.profile = os.path.join(f, "profile.csv")
        rows = ["dp,pp,iteration_ms,samples_per_s"]
        for dp in range(1, 7):
            for pp in range(1, 7):
                if dp * pp <= 6:
                    ms = 1000.0 / dp + 50 * pp
                    rows.append("%d,%d,%.3f,%.3f" % (dp, pp, ms, 16 / (ms / 1000)))
        self._write(self.profile, "\n".join(rows) + "\n")
        self.text = os.path.join(f, "text.txt")
        self._write(self.text, "To be, or not to be, that is the question.\n" * 40)
        self.tokens = os.path.join(f, "tokens.bin")
        subprocess.run([parcae, "data", "prepare", "--text", self.text, "--out", self.tokens],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        # A tiny model's checkpoint (a run folder) for `sample` to read.
        subprocess.run([parcae, "ckpt", "init", "--model", "tiny", "--checkpoint-dir", f,
                        "--run", "ckpt"], check=True, env=env, stdout=subprocess.DEVNULL)
        self.checkpoint = os.path.join(f, "ckpt")
        # llm.c GPT-2 weights (header magic 20240326, version 3) of a model of V 64, T 8, L 1, C 4.
        self.llmc = os.path.join(f, "gpt2_llmc.bin")
        T, V, L, C, Vp = 8, 64, 1, 4, 128
        floats = Vp * C + T * C + L * (13 * C + 12 * C * C) + 2 * C
        with open(self.llmc, "wb") as w:
            w.write(struct.pack("<256i", 20240326, 3, T, V, L, 1, C, Vp, *([0] * 248)))
            w.write(struct.pack("<%df" % floats, *([0.01] * floats)))
        self.empty = os.path.join(f, "empty.csv")
        self._write(self.empty, "")
        self.garbage = os.path.join(f, "garbage.csv")
        with open(self.garbage, "wb") as g:
            g.write(bytes(range(256)) * 4)
        self.missing = os.path.join(f, "no_such_file.csv")
        self.missing_dir = os.path.join(f, "no_such_folder")
        self.hashes = self.snapshot()

    @staticmethod
    def _write(path, text):
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)

    def snapshot(self):
        return tree_hashes(os.path.join(self.root, "fixtures"))

    def substitute(self, word, out):
        return (word.replace("{OUT}", out).replace("{TRACE}", self.trace)
                .replace("{PROFILE}", self.profile).replace("{TEXT}", self.text)
                .replace("{TOKENS}", self.tokens).replace("{DIR}", self.dir)
                .replace("{MISSING_DIR}", self.missing_dir).replace("{MISSING}", self.missing)
                .replace("{EMPTY}", self.empty).replace("{GARBAGE}", self.garbage)
                .replace("{BOM_TRACE}", self.bom_trace).replace("{CKPT}", self.checkpoint)
                .replace("{LLMC}", self.llmc))


def tree_hashes(root):
    out = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                out[path] = hashlib.sha256(f.read()).hexdigest()
    return out


def with_option(base, option, value):
    """base with --option replaced (or added) by value."""
    args, i = [], 0
    while i < len(base):
        if base[i] == "--" + option:
            i += 2
            continue
        args.append(base[i])
        i += 1
    return args + ["--" + option, value]


def cases_for(words, options):
    key = " ".join(words)
    base = BASE.get(key, [])
    cases = []
    for opt, value_text in sorted(options.items()):
        if opt in ("help", "config"):
            continue
        rng = parse_range(value_text)
        if rng:
            for v in NUMBERS:
                cases.append((opt, v, "number", rng))
        elif value_text == "FILE":
            for v in PATH_INPUT:
                cases.append((opt, v, "input", None))
        elif value_text == "OUT":
            for v in PATH_OUTPUT:
                if v != "{INPUT}" or has_input(base):
                    cases.append((opt, v, "output", None))
        elif value_text:
            for v in STRINGS:
                cases.append((opt, v, "string", None))
    # --config: a folder, a device, a file that is not INI.
    for v in ["{DIR}", "/dev/full", "{GARBAGE}", "{MISSING}"]:
        cases.append(("config", v, "input", None))
    # The positional FILE of trace show / fit.
    if base and base[0] == "{TRACE}":
        for v in PATH_INPUT:
            cases.append(("", v, "positional", None))
    return [(words, base) + c for c in cases]


def has_input(base):
    return any(w in ("{TRACE}", "{PROFILE}", "{TEXT}", "{TOKENS}") for w in base)


def one_input_of(base):
    for w in base:
        if w in ("{TRACE}", "{PROFILE}", "{TEXT}", "{TOKENS}"):
            return w
    return "{TRACE}"


def check(case, fx, args):
    words, base, opt, value, kind, rng, mpi = case
    out = tempfile.mkdtemp(prefix="run", dir=os.path.join(fx.root, "runs"))
    # Every output the base writes, and the one under test, already holds
    # something worth keeping.
    existing = os.path.join(out, "existing.txt")
    value = value.replace("{INPUT}", one_input_of(base)).replace("{EXISTING}", existing)
    if kind == "positional":
        argv = [value] + base[1:]
    elif opt:
        argv = with_option(base, opt, value)
    else:
        argv = list(base)
    argv = [fx.substitute(w, out) for w in argv]
    for w in argv:
        if w.startswith(out + "/") and not os.path.exists(w):
            with open(w, "w") as f:
                f.write("precious: written before the run\n")
    with open(existing, "w") as f:
        f.write("precious: written before the run\n")
    before = tree_hashes(out)
    cmd = [args.parcae, *words, *argv]
    if mpi:
        cmd = ["mpirun", "-np", "3", "--oversubscribe"] + cmd
    rc, stdout, stderr, took = run(cmd, args.timeout, out, args.env)
    problems = []
    shown = " ".join(cmd)
    if rc is None:
        problems.append("ran past its timeout of %d s" % args.timeout)
    elif rc < 0 or rc > 128:
        problems.append("ended by signal %s" % (-rc if rc < 0 else rc - 128))
    elif rc not in (0, 1, 2):
        problems.append("exit %d" % rc)
    elif rc == 1 and kind not in ("input", "output", "positional"):
        problems.append("exit 1 for a bad %s value (expected 0 or 2)" % kind)
    elif rc == 1 and "parcae" not in stderr:
        problems.append("exit 1 without a message")
    if kind == "number" and rc is not None and outside(value, rng) and rc != 2:
        problems.append("a value outside %s: exit %s, expected 2" % (rng, rc))
    if kind == "number" and rc == 2 and outside(value, rng) and ("--" + opt) not in stderr \
            and opt not in stderr:
        problems.append("exit 2 without naming --%s" % opt)
    if mpi and rc == 2:
        msgs = [l for l in stderr.splitlines() if l.startswith("parcae")]
        if len(msgs) != 1:
            problems.append("under mpirun, %d messages instead of one" % len(msgs))
    if fx.snapshot() != fx.hashes:
        problems.append("changed an input fixture")
        fx.hashes = fx.snapshot()
    if rc != 0:
        after = tree_hashes(out)
        for path, h in before.items():
            if after.get(path) != h:
                problems.append("a failed run changed or removed %s" % path)
        for path in after:
            if path not in before:
                problems.append("a failed run left %s behind" % path)
    shutil.rmtree(out, ignore_errors=True)
    return shown, rc, took, problems, stderr.strip().splitlines()[-1:] if stderr.strip() else []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("parcae")
    # Most runs wait (MPI's start-up, a refusal): more runs than cores keep them busy.
    ap.add_argument("--jobs", type=int, default=6)
    ap.add_argument("--timeout", type=int, default=20)
    ap.add_argument("--mpirun", action="store_true")
    ap.add_argument("--mpirun-only", action="store_true",
                    help="only the runs under mpirun (implies --mpirun)")
    ap.add_argument("--only", default="", help="regex over 'command option value'")
    args = ap.parse_args()
    args.parcae = os.path.abspath(args.parcae)
    args.mpirun = args.mpirun or args.mpirun_only
    env = dict(os.environ)
    env.update({"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
                "OMPI_MCA_mpi_yield_when_idle": "1", "OMPI_MCA_rmaps_base_oversubscribe": "1"})
    args.env = env
    root = tempfile.mkdtemp(prefix="parcae_hostile_")
    os.makedirs(os.path.join(root, "runs"))
    try:
        fx = Fixtures(root, args.parcae, env)
        found = discover(args.parcae, env)
        cases = []
        for words, options in found:
            key = " ".join(words)
            kinds = {}
            for c in cases_for(words, options):
                kinds[c[4]] = kinds.get(c[4], 0) + 1
            print("%-16s %2d options: %s" % (key, len(options), ", ".join(
                "%d %s" % (n, k) for k, n in sorted(kinds.items()))))
            if key not in BASE:
                print("note: no base invocation for '%s' (add one to BASE)" % key)
            if not args.mpirun_only:
                for c in cases_for(words, options):
                    cases.append(c + (False,))
            if args.mpirun and key in MPI_COMMANDS and shutil.which("mpirun"):
                base = MPI_BASE[key]
                for opt, value_text in sorted(options.items()):
                    if parse_range(value_text):
                        cases.append((words, base, opt, "nan", "number",
                                      parse_range(value_text), True))
        if args.only:
            cases = [c for c in cases if re.search(args.only, "%s %s %s" % (" ".join(c[0]),
                                                                           c[2], c[3]))]
        print("%d commands, %d hostile runs" % (len(found), len(cases)), flush=True)
        start = time.monotonic()
        failures = 0
        slow = []
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            for shown, rc, took, problems, last in pool.map(lambda c: check(c, fx, args), cases):
                slow.append((took, shown))
                if problems:
                    failures += 1
                    print("FAIL %s\n     exit %s after %.1f s: %s\n     %s" %
                          (shown, rc, took, "; ".join(problems), last[0] if last else ""),
                          flush=True)
        slow.sort(reverse=True)
        print("slowest: " + "; ".join("%.1f s %s" % s for s in slow[:3]))
        print("%d runs in %.0f s, %d failed" % (len(cases), time.monotonic() - start, failures))
        return 1 if failures else 0
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
