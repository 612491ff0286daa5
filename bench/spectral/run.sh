#!/usr/bin/env bash
# Reproduces the spectral-clustering part of docs/benchmarks.md ("CKA and spectral clustering at full scale"):
# ours (`subspace bench-spectral`, block Krylov on the sparse graph) and the scikit-learn/SciPy peers on the SAME graph
# (10 planted clusters, 10 edges per node before symmetrising, 90 % inside the cluster), back to back; then the
# dense/iterative switch point of ours.
# Usage: bench/spectral/run.sh [sizes="10000 100000"] [switch sizes="200 300 400 500 700 1000"]
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES=${1:-10000 100000}; SWITCH=${2:-200 300 400 500 700 1000}
dotnet build src/MLNet.Subspace.Cli -c Release -v q 2>&1 | grep -E "rror\(s\)"
C=src/MLNet.Subspace.Cli/bin/Release/net10.0/subspace
DIR=$(mktemp -d); trap 'rm -rf "$DIR"' EXIT
load() { echo "load: $(cut -d' ' -f1-3 /proc/loadavg) ($(date -u +%H:%M:%S))"; }
load
for N in $SIZES; do
  echo "ours  N=$N: $($C bench-spectral --n "$N" --route iterative --out "$DIR/g$N")"
  # ARPACK shift-invert factorises the Laplacian: minutes at N = 10,000, not run at 100,000.
  SOLVERS="eigsh,sklearn-lobpcg"; [ "$N" -le 10000 ] && SOLVERS="$SOLVERS,sklearn-arpack"
  echo "peer  N=$N: $(/usr/bin/python3 bench/spectral/peer.py "$DIR/g$N" --solvers "$SOLVERS")"
  rm -rf "$DIR/g$N"; load
done
for N in $SWITCH; do
  for R in dense iterative; do echo "switch N=$N $R: $($C bench-spectral --n "$N" --route "$R")"; done
done
load
