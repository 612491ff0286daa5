#!/usr/bin/env bash
# OMP at the activation shape (D >= N): ours (subspace ssc --solver omp) and the NumPy peer's omp, back to back on one
# union of 10 subspaces of dimension 8 with noise 0.05 (reference.py gen). Prints one line per run: who, N, D, solve s, accuracy.
# Usage: bench/ssc/omp-activation.sh [OUT_DIR] [PER_SUBSPACE] [AMBIENT]   (defaults /tmp/omp-bench 200 2500: N = 2,000, D = 2,500)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-/tmp/omp-bench}"; PER="${2:-200}"; AMBIENT="${3:-2500}"
PEER="${PEER:-$ROOT/../shared/peers/reference.py}"
PY=/usr/bin/python3
mkdir -p "$OUT"
dotnet build -c Release "$ROOT/src/MLNet.Subspace.Cli" -o "$OUT/cli" > "$OUT/build.log" 2>&1
[ -f "$OUT/X.csv" ] || $PY "$PEER" gen --out "$OUT" --ambient "$AMBIENT" --dim 8 --subspaces 10 --per "$PER" --noise 0.05 --seed 1 > /dev/null
for repeat in 1 2; do
  "$OUT/cli/subspace" ssc --x "$OUT/X.csv" --y "$OUT/y.csv" --solver omp --normalize-inputs false \
    | $PY -c 'import json,sys; j=json.load(sys.stdin); print("ours", j["n"], j["dims"], round(j["seconds"], 3), j["accuracy"])'
done
$PY "$PEER" ssc --x "$OUT/X.csv" --y "$OUT/y.csv" --method omp 2> /dev/null \
  | $PY -c 'import json,sys; j=json.load(sys.stdin); print("peer", j["n"], "-", round(j["solve_s"], 3), j["accuracy"])'
echo "load $(cut -d' ' -f1 /proc/loadavg)"
