#!/usr/bin/env python3
"""Rebuilds data/manifest.json from the metadata inside every network file in data/ (and
data/in-progress/). Entries already in the manifest keep their commit; new files (and files
retrained under another reproducibility contract) get the commit given with --commit (the
commit whose build trained them). Standard library only.

    python3 data/manifest.py --commit 088ee2e
"""
import argparse, json, os, re, zipfile

root = os.path.dirname(os.path.abspath(__file__))
parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--commit", default="unknown", help="commit recorded for files not yet in the manifest")
args = parser.parse_args()

path = os.path.join(root, "manifest.json")
old = json.load(open(path)) if os.path.exists(path) else {"networks": []}
# A file retrained under another contract is a new file: it takes the new commit.
commits = {(e["file"], e.get("reproducibility", 1)): e.get("commit", "unknown") for e in old["networks"]}
name = re.compile(r"^(?P<task>[a-z_]+?)(-(?P<variant>varrec[0-9.]+))?-seed(?P<seed>\d+)-(?P<engine>fused|torch)\.npz$")

entries = []
for folder in ["", "in-progress"]:
    directory = os.path.join(root, folder)
    if not os.path.isdir(directory):
        continue
    for file in sorted(os.listdir(directory)):
        match = name.match(file)
        if not match:
            continue
        relative = os.path.join(folder, file) if folder else file
        meta = json.loads(zipfile.ZipFile(os.path.join(directory, file)).read("metadata.json"))
        last = meta["costs_history"][-1] if meta["costs_history"] else {}
        # A file without "reproducibility" was written under contract 1, before the setting existed;
        # contract 2 is the default, so only contract 1 needs saying to reproduce a file.
        contract = int(meta["config"].get("reproducibility", "1"))
        overrides = ""
        if match["variant"]:
            overrides = " --set var_rec=" + match["variant"][len("varrec"):]
        if contract != 2:
            overrides += f" --set reproducibility={contract}"
        entries.append({
            "file": relative, "task": meta["task"], "seed": meta["seed"], "engine": meta["engine"],
            "variant": match["variant"] or "default", "reproducibility": contract,
            "status": meta["status"], "termination": meta["termination"],
            "criterion_met": meta["termination"] in ("Criterion", "MinError"),
            "trials": meta["trials"], "wall_seconds": round(meta["elapsed_seconds"], 1),
            "final_validation_performance": last.get("performance"), "final_validation_rmse": last.get("rmse"),
            "best_validation_cost": meta["best"]["cost"],
            "commit": commits.get((relative, contract), args.commit),
            "command": f"dotnet run --project PyCog.Cli -c Release -- train {meta['task']} --seed {meta['seed']} "
                       f"--engine {meta['engine']}{overrides} --out data/{relative}",
        })

order = {t: i for i, t in enumerate(["rdm_fixed", "rdm_dense", "rdm_nodale", "rdm_varstim", "rdm_rt", "mante", "mante_areas",
                                     "multisensory", "romo", "lee", "sinewave"])}
entries.sort(key=lambda e: (order.get(e["task"], 99), e["variant"], e["engine"] != "fused", e["seed"]))
json.dump({"note": old.get("note", ""), "networks": entries}, open(path, "w"), indent=2)
open(path, "a").write("\n")
for e in entries:
    print(f"{e['file']:48} {e['status']:9} {e['trials']:>9,} trials {e['wall_seconds']:>8.0f} s  "
          f"{e['final_validation_performance'] if e['final_validation_performance'] is not None else e['final_validation_rmse']}")
