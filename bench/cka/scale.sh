#!/usr/bin/env bash
# Reproduces the "CKA at full scale" section of docs/benchmarks.md: linear CKA L x L of 20 layers shaped like
# resnet18-16's conv layers (120,000 features), and SSC-CKA of 20 sparse graphs, ours and the NumPy peer back to back.
# The peer stacks L centred N x N kernels (16 GB at N = 10,000), so it runs where that fits (N <= 2,000 for linear CKA,
# one pair of graphs at N = 10,000, extrapolated to the 190 pairs).
# Raw output of the runs quoted there: bench/cka/scale-2026-12-01.txt (float64 tiles), scale-2026-12-01-float32.txt,
# scale-2026-12-01-float32-2threads.txt (threads=2).
# Usage: bench/cka/scale.sh [threads=1] [sizes with the peer="1000 2000"] [sizes ours only="10000"]
set -euo pipefail
cd "$(dirname "$0")/../.."
T=${1:-1}; PEER_SIZES=${2:-1000 2000}; OUR_SIZES=${3:-10000}
dotnet build src/MLNet.Subspace.Cli -c Release -v q 2>&1 | grep -E "rror\(s\)"
C=src/MLNet.Subspace.Cli/bin/Release/net10.0/subspace
DIR=$(mktemp -d); trap 'rm -rf "$DIR"' EXIT
load() { echo "load: $(cut -d' ' -f1-3 /proc/loadavg) ($(date -u +%H:%M:%S))"; }
load
for N in $PEER_SIZES; do
  echo "ours  linear N=$N: $(OMP_NUM_THREADS=$T $C bench-cka layers --n "$N" --out "$DIR/l")"
  echo "peer  linear N=$N: $(OPENBLAS_NUM_THREADS=$T /usr/bin/python3 bench/cka/peer_layers.py "$DIR/l")"
  rm -rf "$DIR/l"; load
done
for N in $OUR_SIZES; do
  echo "ours  linear N=$N: $(OMP_NUM_THREADS=$T $C bench-cka layers --n "$N")"; load
done
echo "ours  ssc-cka L=20 N=10000: $($C bench-cka graphs --layers 20 --n 10000 --k 15 --repeat 3)"
$C bench-cka graphs --layers 2 --n 10000 --k 15 --repeat 1 --out "$DIR/g" > /dev/null   # the same first two graphs
echo "peer  ssc-cka 1 pair N=10000: $(OPENBLAS_NUM_THREADS=$T /usr/bin/python3 bench/cka/peer_pairs.py "$DIR/g")"
load
