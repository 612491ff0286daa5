#!/usr/bin/env bash
# Side-by-side SSC benchmark: ours (subspace ssc) and the NumPy/sklearn peer, back to back on the same data.
# Usage: bench/ssc/run.sh [OUT_DIR] [--scale]
#   OUT_DIR   where data and results go (default /tmp/ssc-bench); results.jsonl gets one JSON object per run
#   --scale   also run ours at N = 20,000 and 100,000 (the peer is not run there: its per-column loops take hours)
# Needs: dotnet (builds the CLI in Release), /usr/bin/python3 with numpy/scipy/sklearn, ../shared/peers/reference.py.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-/tmp/ssc-bench}"
SCALE="${2:-}"
PEER="${PEER:-$ROOT/../shared/peers/reference.py}"
PY=/usr/bin/python3
mkdir -p "$OUT"
dotnet build -c Release "$ROOT/src/MLNet.Subspace.Cli" -o "$OUT/cli" > "$OUT/build.log" 2>&1
CLI="$OUT/cli/subspace"
RES="$OUT/results.jsonl"

gen() { [ -f "$OUT/n$1/X.csv" ] || $PY "$PEER" gen --per "$2" --seed 1 --out "$OUT/n$1" > /dev/null; }
ours() { # tag n solver
  local t0=$(date +%s.%N)
  local j=$("$CLI" ssc --x "$OUT/n$2/X.csv" --y "$OUT/n$2/y.csv" --solver "$3" --normalize-inputs false)
  echo "{\"who\":\"ours\",\"tag\":\"$1\",\"wall_s\":$(echo "$(date +%s.%N) - $t0" | bc),\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"result\":$j}" | tee -a "$RES"
}
peer() { # tag n method
  local t0=$(date +%s.%N)
  local j=$($PY "$PEER" ssc --x "$OUT/n$2/X.csv" --y "$OUT/n$2/y.csv" --method "$3" 2> /dev/null)
  echo "{\"who\":\"peer\",\"tag\":\"$1\",\"wall_s\":$(echo "$(date +%s.%N) - $t0" | bc),\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"result\":$j}" | tee -a "$RES"
}

gen 2000 400
# Each pair runs back to back so both see the same machine load.
ours admm 2000 admm;  peer admm 2000 admm
ours ensc 2000 ensc;  peer ensc 2000 lasso
ours omp 2000 omp;    peer omp 2000 omp
gen 500 100
ours faithful 500 faithful; peer faithful 500 admm-faithful
ours admm 2000 admm; ours ensc 2000 ensc; ours omp 2000 omp

if [ "$SCALE" = "--scale" ]; then
  gen 20000 4000; gen 100000 20000
  ours omp 20000 omp; ours ensc 20000 ensc
  ours omp 100000 omp; ours ensc 100000 ensc
fi
