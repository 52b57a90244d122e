#!/usr/bin/env bash
# Time to criterion: trains every paper task (seed 100) and writes one line per run to a CSV:
# task, optimizer, threads, reached, termination, trials, seconds, performance, rmse.
#   scripts/time-to-criterion.sh OUT_DIR [OPTIMIZER] [THREADS] [TASK ...]
# Each run checkpoints to OUT_DIR/<task>-<optimizer>-<threads>t.npz, so a stopped script resumes
# where it stopped when run again. PYCOG overrides the command (default: the Release build).
set -euo pipefail
out=${1:?usage: time-to-criterion.sh OUT_DIR [sgd|adam] [threads] [task ...]}
optimizer=${2:-adam}
threads=${3:-$(nproc)}
shift $(( $# < 3 ? $# : 3 ))
tasks=("$@")
[ ${#tasks[@]} -gt 0 ] || tasks=(rdm_fixed rdm_dense rdm_nodale rdm_varstim rdm_rt multisensory mante mante_areas lee sinewave romo)
root="$(cd "$(dirname "$0")/.." && pwd)"
pycog=${PYCOG:-"dotnet $root/PyCog.Cli/bin/Release/net10.0/pycog.dll"}
mkdir -p "$out"
csv="$out/time-to-criterion.csv"
[ -f "$csv" ] || echo "task,optimizer,threads,reached,termination,trials,seconds,performance,rmse" > "$csv"
for task in "${tasks[@]}"; do
  name="$task-$optimizer-${threads}t"
  grep -q "^$task,$optimizer,$threads," "$csv" && continue
  $pycog train "$task" --seed 100 --threads "$threads" --set optimizer="$optimizer" \
    --out "$out/$name.npz" --summary "$out/$name.json" > "$out/$name.log" 2>&1 || true
  [ -f "$out/$name.json" ] || continue
  python3 - "$out/$name.json" "$optimizer" "$threads" >> "$csv" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
if s["termination"] != "Cancelled":
    print(",".join(str(v) for v in [s["task"], sys.argv[2], sys.argv[3], s["reached"], s["termination"], s["trials"],
                                    s["seconds"], s["performance"] if s["performance"] is not None else "", s["rmse"] if s["rmse"] is not None else ""]))
PY
done
cat "$csv"
