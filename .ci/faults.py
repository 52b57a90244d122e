#!/usr/bin/env python3
"""Fault and bad-input tests of the pycog command line (run by .ci/run after the build).

1. Kills: one uninterrupted training run, then the same run stopped again and again (SIGKILL,
   SIGTERM, SIGINT, SIGHUP at random moments, and SIGKILL while a checkpoint is being written)
   and resumed with the same command until it finishes. After every stop the checkpoint must
   load; at the end every array must equal the uninterrupted run's bit for bit.
2. Bad input: a table of commands that must fail with a non-zero exit code, one line on stderr
   naming the problem, and no stack trace.
"""
import glob, json, os, random, shutil, signal, subprocess, sys, tempfile, time, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DLL = os.path.join(ROOT, "PyCog.Cli", "bin", "Release", "net10.0", "pycog.dll")
DATA = os.path.join(ROOT, "data", "rdm_fixed-seed100-fused.npz")
TMP = tempfile.mkdtemp(prefix="pycog-faults-")
results = []


def pycog(*args, **kw):
    return subprocess.run(["dotnet", DLL, *args], capture_output=True, text=True, **kw)


def check(name, ok, detail=""):
    results.append(ok)
    print(f"{'ok  ' if ok else 'FAIL'} {name}" + ("" if ok else f": {detail}"))


def arrays(path):
    with zipfile.ZipFile(path) as z:
        meta = json.loads(z.read("metadata.json"))
        return {n: z.read(n) for n in z.namelist() if n.endswith(".npy")}, meta


# ---- 1. kills ------------------------------------------------------------------------------
TRAIN = ["train", "rdm_fixed", "--seed", "5", "--set", "max_iter=1500", "--set", "checkfreq=3",
         "--set", "n_validation=22", "--set", "n_gradient=8"]
ref = os.path.join(TMP, "reference.npz")
r = pycog(*TRAIN, "--out", ref)
check("uninterrupted run", r.returncode == 0 and os.path.exists(ref), r.stderr[-300:])

def default_signals():
    """In the child, before exec: SIGINT and SIGHUP back to their defaults. A shell that starts this
    script in the background (or under nohup) leaves them ignored, and an ignored signal is never
    delivered to the trainer, so the run would just go on."""
    for s in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(s, signal.SIG_DFL)


out = os.path.join(TMP, "interrupted.npz")
rng = random.Random(2024)
signals = [signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGHUP]
stops, during_save, finished = 0, 0, False
for round_ in range(31):  # 30 stopped rounds, then one left to finish
    p = subprocess.Popen(["dotnet", DLL, *TRAIN, "--out", out], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         preexec_fn=default_signals)
    if round_ == 30:
        sig = None   # the last round runs to the end
    elif round_ % 3 == 2:
        # SIGKILL the moment a temporary checkpoint appears: a kill in the middle of a save.
        deadline = time.time() + 20
        before = set(glob.glob(out + ".*.tmp"))
        while p.poll() is None and time.time() < deadline and not (set(glob.glob(out + ".*.tmp")) - before):
            time.sleep(0.0005)
        sig = signal.SIGKILL
        during_save += p.poll() is None and bool(set(glob.glob(out + ".*.tmp")) - before)
    else:
        time.sleep(rng.uniform(0.5, 1.6))
        sig = rng.choice(signals)
    if sig is not None and p.poll() is None:
        p.send_signal(sig)
        stops += 1
    code = p.wait(timeout=600)
    err = p.stderr.read()
    if "   at " in err or "Unhandled exception" in err:
        check(f"stop {stops} leaves no stack trace", False, err[-400:])
    if sig not in (None, signal.SIGKILL) and code not in (0, 128 + sig, -sig):
        check(f"{signal.Signals(sig).name} exits with {128 + sig}", False, f"exit code {code}: {err[-300:]}")
    if os.path.exists(out):
        info = pycog("info", out)
        if info.returncode != 0:
            check(f"checkpoint loads after stop {stops}", False, info.stderr[-300:])
    if code == 0:
        finished = True
        break
check(f"interrupted run finished after {stops} stops ({during_save} during a save)", finished and stops >= 20 and during_save >= 5,
      f"finished={finished}, stops={stops}, during a save={during_save}")
if finished:
    a, ma = arrays(ref)
    b, mb = arrays(out)
    same = a.keys() == b.keys() and all(a[k] == b[k] for k in a)
    check("every array equals the uninterrupted run's bit for bit", same,
          [k for k in a if a.get(k) != b.get(k)][:5])
    check("the validation history is the same", ma["costs_history"] == mb["costs_history"] and ma["trials"] == mb["trials"])

# ---- 2. bad input --------------------------------------------------------------------------
small = os.path.join(TMP, "small.npz")
r = pycog("train", "rdm_fixed", "--seed", "1", "--out", small, "--set", "max_iter=5", "--set", "checkfreq=5", "--set", "n_validation=11")
check("a small run for the file cases", r.returncode == 0, r.stderr[-300:])
mismatched = os.path.join(TMP, "mismatched.npz")
no_ei = os.path.join(TMP, "no-ei.npz")
with zipfile.ZipFile(DATA) as z, zipfile.ZipFile(mismatched, "w") as m, zipfile.ZipFile(no_ei, "w") as e:
    for n in z.namelist():
        data = z.read(n)
        if n == "metadata.json":
            meta = json.loads(data)
            meta["task"] = "rdm_varstim"
            m.writestr(n, json.dumps(meta))
        else:
            m.writestr(n, data)
        if n != "ei.npy":
            e.writestr(n, data)
truncated = os.path.join(TMP, "truncated.npz")
with open(DATA, "rb") as f, open(truncated, "wb") as g:
    g.write(f.read()[:3000])
t = os.path.join(TMP, "t.npz")
D = DATA
# A run written under reproducibility contract 1 (before contract 2 became the default).
V1_RUN = ["train", "rdm_fixed", "--seed", "7", "--set", "max_iter=60", "--set", "checkfreq=20", "--set", "n_validation=40"]
v1 = os.path.join(TMP, "contract1.npz")
shutil.copy(os.path.join(ROOT, "PyCog.Core.Tests", "Data", "rdm_fixed-seed7-60steps-678b1c3.npz"), v1)
sweeps = {}
for name, body in {
    "unknown-task": {"tasks": ["no_such_task"]},
    "unknown-parameter": {"tasks": ["rdm_fixed"], "grid": {"var_recc": [0.01]}},
    "bad-value": {"tasks": ["rdm_fixed"], "set": {"rho0": 1e300}},
    "zero-runs": {"tasks": ["rdm_fixed"], "grid": {"var_rec": []}},
    "same-file": {"tasks": ["rdm_fixed"], "seeds": [1, 2], "file": "{task}"},
    "ok": {"tasks": ["rdm_fixed"], "out": "ok-out", "set": {"max_iter": 5}},
}.items():
    sweeps[name] = os.path.join(TMP, f"sweep-{name}.json")
    json.dump(body, open(sweeps[name], "w"))
with open(os.path.join(TMP, "sweep-broken.json"), "w") as f:
    f.write('{"tasks": ["rdm_fixed"],')
sweeps["broken"] = os.path.join(TMP, "sweep-broken.json")
BAD = [
    # (arguments, expected exit code, text the one line must contain)
    (["frobnicate"], 2, "Unknown command"),
    (["train", "no_such_task"], 2, "Unknown task 'no_such_task'"),
    (["train", "rdm_fixed", "--engine", "gpu"], 2, "Unknown engine"),
    (["train", "rdm_fixed", "--bogus", "1"], 2, "Unknown option"),
    (["train", "rdm_fixed", "--seed", "x"], 2, "--seed"),
    (["train", "rdm_fixed", "--out", t, "--set", "var_rec"], 2, "name=value"),
    (["train", "rdm_fixed", "--out", t, "--set", "foo=1"], 2, "foo"),
    (["train", "rdm_fixed", "--out", t, "--set", "learning_rate=abc"], 2, "learning_rate"),
    (["train", "rdm_fixed", "--out", t, "--set", "learning_rate=0"], 2, "learning_rate"),
    (["train", "rdm_fixed", "--out", t, "--set", "var_rec=1e300"], 2, "var_rec"),
    (["train", "rdm_fixed", "--out", t, "--set", "var_in=-1"], 2, "var_in"),
    (["train", "rdm_fixed", "--out", t, "--set", "rho0=1e300"], 2, "rho0"),
    (["train", "rdm_fixed", "--out", t, "--set", "tau=1e300"], 2, "tau"),
    (["train", "rdm_fixed", "--out", t, "--set", "N=50000"], 2, "N"),
    (["train", "rdm_nodale", "--out", t, "--set", "N=100000"], 2, "N"),
    (["train", "rdm_nodale", "--out", t, "--set", "N=30000"], 2, "GB"),
    (["train", "rdm_fixed", "--out", t, "--set", "dt=1e-9"], 2, "dt"),
    (["train", "rdm_fixed", "--out", t, "--set", "dt=150"], 2, "exceeds the time constant"),
    (["train", "rdm_fixed", "--out", t, "--set", "n_gradient=2e9"], 2, "n_gradient"),
    (["train", "rdm_fixed", "--out", t, "--set", "n_gradient=4294967297"], 2, "n_gradient"),
    (["train", "rdm_fixed", "--out", t, "--set", "checkfreq=0"], 2, "checkfreq"),
    (["train", "rdm_fixed", "--out", t, "--set", "hidden_activation=relu6"], 2, "hidden_activation"),
    (["train", "rdm_fixed", "--out", TMP], 1, "is a directory"),
    (["train", "rdm_fixed", "--out", small, "--seed", "1", "--set", "var_rec=0.01", "--set", "max_iter=5", "--set", "checkfreq=5", "--set", "n_validation=11"], 2, "other settings"),
    (["train", "rdm_fixed", "--out", small, "--seed", "2", "--set", "max_iter=5", "--set", "checkfreq=5", "--set", "n_validation=11"], 2, "seed"),
    (["train", "romo", "--out", small], 1, "holds a run of task 'rdm_fixed'"),
    ([*V1_RUN, "--out", v1, "--set", "reproducibility=2"], 2, "written under reproducibility contract 1"),
    (["trial", "rdm_fixed", "--dt", "0"], 2, "--dt"),
    (["trial", "rdm_fixed", "--dt", "-1"], 2, "--dt"),
    (["trial", "rdm_fixed", "--dt", "NaN"], 2, "--dt"),
    (["trial", "rdm_fixed", "--dt", "1e9"], 2, "exceeds the time constant"),
    (["trial", "rdm_fixed", "--dt", "1e-9"], 2, "time steps"),
    (["trial", "rdm_fixed", "--set", "coh=7"], 2, "coh"),
    (["trial", "rdm_fixed", "--set", "flavour=1"], 2, "flavour"),
    (["trial", "rdm_fixed", "--index", "-1"], 2, "--index"),
    (["trials", D, "--out", t, "--dt", "0"], 2, "--dt"),
    (["trials", D, "--out", t, "--dt", "-1"], 2, "--dt"),
    (["trials", D, "--out", t, "--dt", "NaN"], 2, "--dt"),
    (["trials", D, "--out", t, "--dt", "1e9"], 2, "exceeds the time constant"),
    (["trials", D, "--out", t, "--dt", "150"], 2, "exceeds the time constant"),
    (["trials", D, "--out", t, "--every", "0"], 2, "--every"),
    (["trials", D, "--out", t, "--n", "0"], 2, "--n"),
    (["trials", D, "--out", t, "--n", "4294967297"], 2, "--n"),
    (["trials", D, "--out", t, "--n", "1000000", "--dt", "0.01"], 2, "GB"),
    (["trials", D, "--out", t, "--set", "coh=abc"], 2, "coh"),
    (["trials", D, "--out", t, "--set", "catch=true", "--set", "coh=16"], 2, "catch"),
    (["trials", D], 2, "--out"),
    (["trials", mismatched, "--out", t, "--n", "2"], 1, "Nin = 2"),
    (["info", os.path.join(TMP, "nothing.npz")], 1, "no such file"),
    (["info", TMP], 1, "is a directory"),
    (["info", truncated], 1, "corrupt or truncated"),
    (["info", no_ei], 1, "'ei' is missing"),
    (["bench", "--only", "everything"], 2, "--only"),
    (["fixedpoints", D, "--epoch", "nosuch"], 2, "--epoch"),
    (["fixedpoints", D, "--condition", "coh=7"], 2, "coh"),
    (["fixedpoints", D, "--set", "input=1,2,3"], 2, "Nin = 2"),
    (["fixedpoints", D, "--slow-tolerance", "-1"], 2, "--slow-tolerance"),
    (["sweep", "plan", sweeps["unknown-task"]], 2, "unknown task 'no_such_task'"),
    (["sweep", "plan", sweeps["unknown-parameter"]], 2, "var_recc"),
    (["sweep", "plan", sweeps["bad-value"]], 2, "rho0"),
    (["sweep", "plan", sweeps["zero-runs"]], 2, "zero runs"),
    (["sweep", "plan", sweeps["same-file"]], 2, "would write the same file"),
    (["sweep", "plan", sweeps["broken"]], 2, "not valid JSON"),
    (["sweep", "plan", os.path.join(TMP, "no-such-sweep.json")], 2, "no such file"),
    (["sweep", "run", sweeps["ok"]], 2, "--local or --slurm"),
    (["sweep", "fly", sweeps["ok"]], 2, "Unknown sweep verb"),
    (["sweep", "run", sweeps["ok"], "--local", "--jobs", "0"], 2, "--jobs"),
]
for args, code, text in BAD:
    r = pycog(*args, timeout=300)
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    label = "pycog " + " ".join(a.replace(TMP, "$TMP").replace(ROOT + "/", "") for a in args)
    problems = []
    if r.returncode != code: problems.append(f"exit {r.returncode}, expected {code}")
    if len(lines) != 1: problems.append(f"{len(lines)} lines on stderr")
    if text not in r.stderr: problems.append(f"no '{text}'")
    if "   at " in r.stderr + r.stdout or "Unhandled" in r.stderr: problems.append("stack trace")
    check(label, not problems, "; ".join(problems) + " | " + r.stderr.strip()[:300])

# --slurm without sbatch on PATH is one clear line.
env = dict(os.environ, PATH="/nonexistent")
r = subprocess.run([shutil.which("dotnet"), DLL, "sweep", "run", sweeps["ok"], "--slurm"], capture_output=True, text=True, env=env)
check("sweep run --slurm without sbatch names the problem", r.returncode == 2 and "needs sbatch" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr[-300:])

# What used to crash and now works.
r = pycog("train", "rdm_fixed", "--out", os.path.join(TMP, "huge-checkfreq.npz"), "--set", "checkfreq=2000000000", "--set", "max_iter=3", "--set", "n_validation=11")
check("checkfreq=2000000000 trains (patience does not overflow)", r.returncode == 0, r.stderr[-300:])
r = pycog(*V1_RUN, "--out", v1)
check("a contract-1 file resumes under contract 1 when none is asked for", r.returncode == 0 and "resuming" in r.stdout, (r.stdout + r.stderr)[-300:])
r = pycog("info", v1)
check("info names a contract-1 file's contract", r.returncode == 0 and "1 (written before the setting existed)" in r.stdout, (r.stdout + r.stderr)[-300:])
r = pycog("trials", v1, "--out", os.path.join(TMP, "contract1-trials.npz"), "--n", "3")
check("trials runs a contract-1 file", r.returncode == 0 and " trials in " in r.stdout, (r.stdout + r.stderr)[-300:])
r = pycog("trials", D, "--out", os.path.join(TMP, "catch.npz"), "--set", "catch=true", "--n", "5")
check("trials --set catch=true runs catch trials", r.returncode == 0 and "5 trials" in r.stdout, r.stderr[-300:])
diverged = os.path.join(TMP, "diverged.npz")
r = pycog("train", "rdm_fixed", "--out", diverged, "--set", "learning_rate=1e4", "--set", "checkfreq=10", "--set", "n_validation=11", "--set", "max_iter=3000")
check("learning_rate=1e4 stops as diverged (exit 3)", r.returncode == 3 and "Diverged" in r.stdout, (r.stdout + r.stderr)[-300:])
check("the diverged file opens with info", pycog("info", diverged).returncode == 0)
check("the diverged file runs trials", pycog("trials", diverged, "--out", os.path.join(TMP, "d.npz"), "--n", "1").returncode == 0)
# A second trainer on a file that is being trained is refused, naming the holder.
long_run = os.path.join(TMP, "locked.npz")
p = subprocess.Popen(["dotnet", DLL, "train", "rdm_fixed", "--out", long_run, "--set", "max_iter=100000"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     preexec_fn=default_signals)
deadline = time.time() + 60
while not os.path.exists(long_run) and time.time() < deadline:
    time.sleep(0.1)
r = pycog("train", "rdm_fixed", "--out", long_run, "--set", "max_iter=100000")
p.send_signal(signal.SIGTERM)
p.wait(timeout=120)
check("a second trainer on the same file is refused", r.returncode == 1 and f"process {p.pid}" in r.stderr, r.stderr[-300:])
check("SIGTERM saved the first trainer's run", p.returncode == 143 and pycog("info", long_run).returncode == 0, f"exit {p.returncode}")

passed, failed = sum(results), len(results) - sum(results)
print(f"faults: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
