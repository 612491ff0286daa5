#!/usr/bin/env bash
# SSC in the activation regime (D a little above N): ours (subspace ssc: admm, omp, ensc, each also with a random
# projection of D) and the NumPy/sklearn peer (reference.py ssc --method admm|omp|lasso), back to back in one run on one
# union of 10 subspaces of dimension 8 (reference.py gen, seed 1), D = 1.25 N, noise NOISE per coordinate
# (default 0.002: noise of norm ~0.1 against unit signal at D = 2,500).
# Prints (and appends to OUT/results.jsonl) one JSON line per run: who, method, N, D, solve s, wall s, peak RSS MB,
# accuracy, iterations, converged, rank (admm), and the 1-minute load average when it started.
# Usage: bench/ssc/activation-shaped.sh [OUT_DIR] [N ...]   (default /tmp/ssc-activation 1000 2000); on the shared machine
#   run it as `nice -n 19 bench/ssc/activation-shaped.sh ...` (ours and the peer then run at the same priority).
#   OUT_DIR/nN/X.csv is reused when present (N = 10,000 at D = 12,500 is 1.8 GB of CSV).
#   PEER_MAX_N (default 2000): the peer runs only up to this N (its admm is O(N^3) per iteration, its lasso a Python
#   loop of N sklearn fits); PEER_LASSO_MAX_N (default 1000) the same for its lasso (N fits of a D x (N-1) Lasso);
#   PROJECT (default 1024): the projected dimension; NOISE (default 0.002); XPATH_MAX_N (default 2000): omp and ensc
#   also run on X (--gram-space off, the path before the Gram one) up to this N; SOLVERS (default "admm omp ensc").
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-/tmp/ssc-activation}"; shift || true
SIZES="${*:-1000 2000}"
PEER="${PEER:-$ROOT/../shared/peers/reference.py}"
PY=/usr/bin/python3
PEER_MAX_N="${PEER_MAX_N:-2000}"; PEER_LASSO_MAX_N="${PEER_LASSO_MAX_N:-1000}"; XPATH_MAX_N="${XPATH_MAX_N:-2000}"; PROJECT="${PROJECT:-1024}"; NOISE="${NOISE:-0.002}"
mkdir -p "$OUT"
dotnet build -c Release "$ROOT/src/MLNet.Subspace.Cli" -o "$OUT/cli" > "$OUT/build.log" 2>&1
RES="$OUT/results.jsonl"

# run WHO METHOD N D CMD...: time the command, keep its JSON, its wall time and peak RSS (GNU time).
run() {
  local who=$1 method=$2 n=$3 d=$4; shift 4
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  local t0; t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$OUT/rss" "$@" > "$OUT/out.json" 2> "$OUT/err.log" || { echo "{\"who\":\"$who\",\"method\":\"$method\",\"n\":$n,\"failed\":true}" | tee -a "$RES"; return; }
  local wall; wall=$(echo "$(date +%s.%N) - $t0" | bc)
  $PY - "$who" "$method" "$n" "$d" "$wall" "$(tail -1 "$OUT/rss")" "$load" "$OUT/out.json" <<'PYEOF' | tee -a "$RES"
import json, sys
who, method, n, d, wall, rss, load, path = sys.argv[1:]
j = json.loads(open(path).read().strip().splitlines()[-1])
solve = j.get("seconds", j.get("solve_s"))
print(json.dumps({"who": who, "method": method, "n": int(n), "d": int(d), "solve_s": round(solve, 3),
                  "prepare_s": round(j.get("prepare_seconds", 0), 3), "wall_s": round(float(wall), 2),
                  "peak_rss_mb": round(int(rss) / 1024), "accuracy": j["accuracy"], "iterations": j.get("iterations"),
                  "converged": j.get("converged"), "rank": j.get("rank"), "load": float(load)}))
PYEOF
}

for n in $SIZES; do
  per=$((n / 10)); d=$((n * 5 / 4))
  data="$OUT/n$n"
  [ -f "$data/X.csv" ] || $PY "$PEER" gen --out "$data" --ambient "$d" --dim 8 --subspaces 10 --per "$per" --noise "$NOISE" --seed 1 > /dev/null
  for solver in ${SOLVERS:-admm omp ensc}; do
    run ours "$solver" "$n" "$d" "$OUT/cli/subspace" ssc --x "$data/X.csv" --y "$data/y.csv" --solver "$solver" --normalize-inputs false
    if [ "$solver" != admm ] && [ "$n" -le "$XPATH_MAX_N" ]; then
      run ours "$solver-on-X" "$n" "$d" "$OUT/cli/subspace" ssc --x "$data/X.csv" --y "$data/y.csv" --solver "$solver" --normalize-inputs false --gram-space off
    fi
    [ "$PROJECT" -lt "$d" ] && run ours "$solver+proj$PROJECT" "$n" "$d" "$OUT/cli/subspace" ssc --x "$data/X.csv" --y "$data/y.csv" --solver "$solver" --normalize-inputs false --project-dim "$PROJECT"
    method=$([ "$solver" = ensc ] && echo lasso || echo "$solver")
    limit=$([ "$solver" = ensc ] && echo "$PEER_LASSO_MAX_N" || echo "$PEER_MAX_N")
    if [ "$n" -le "$limit" ]; then
      run peer "$method" "$n" "$d" $PY "$PEER" ssc --x "$data/X.csv" --y "$data/y.csv" --method "$method"
    fi
  done
done
