#!/usr/bin/env bash
# Which SSC solver for demo/analyze: one short training (smallcnn-4-16 on Fashion-MNIST, EPOCHS epochs on FRACTION of the
# training split), then the same snapshots analysed with each solver on the same labelled probes (PROBES per class).
# Prints, per solver and layer (layerwise.csv: the final snapshot), the spectral-clustering accuracy against the probes' classes, NMI, the
# solver's iterations/convergence (layerwise.csv of each run), the wall time of each analysis, and the load average.
# Usage: bench/ssc/demo-solvers.sh [OUT_DIR]   (default /tmp/ssc-demo-solvers; EPOCHS=2 FRACTION=0.1 PROBES=100)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-/tmp/ssc-demo-solvers}"
EPOCHS="${EPOCHS:-2}"; FRACTION="${FRACTION:-0.1}"; PROBES="${PROBES:-100}"
PY=/usr/bin/python3
mkdir -p "$OUT"
dotnet build -c Release "$ROOT/src/MLNet.Subspace.Cli" -o "$OUT/cli" > "$OUT/build.log" 2>&1
echo "load $(cut -d' ' -f1 /proc/loadavg) before training"
[ -f "$OUT/admm/layerwise.csv" ] || "$OUT/cli/subspace" demo --out "$OUT/admm" --fraction "$FRACTION" --epochs "$EPOCHS" --probes-per-class "$PROBES" --solver admm > "$OUT/admm.log" 2>&1
for solver in admm omp ensc; do # the same snapshots and probes, analysed again with each solver and timed
  t0=$(date +%s.%N)
  "$OUT/cli/subspace" analyze --snapshots "$OUT/admm/snapshots" --out "$OUT/analyze-$solver" --probes-per-class "$PROBES" --solver "$solver" > "$OUT/analyze-$solver.log" 2>&1
  echo "$solver analyze wall $(echo "$(date +%s.%N) - $t0" | bc) s, load $(cut -d' ' -f1 /proc/loadavg)"
done
for solver in admm omp ensc; do
  $PY - "$solver" "$OUT/analyze-$solver/layerwise.csv" "$(cut -d' ' -f1 /proc/loadavg)" <<'PYEOF'
import csv, sys
solver, path, load = sys.argv[1:]
rows = list(csv.DictReader(open(path)))
keep = ("layer", "features", "spectral_accuracy", "nmi", "nnz_per_input", "solver_iterations", "converged")
for r in rows:
    print(solver, " ".join(f"{k}={r[k]}" for k in keep), "load", load)
PYEOF
done
