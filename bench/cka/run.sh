#!/usr/bin/env bash
# Reproduces docs/benchmarks.md: ours (Release CLI) and the NumPy peer back to back, repeated.
# Usage: bench/cka/run.sh [repeats=2] [peer pairs: empty = all 630]
set -euo pipefail
cd "$(dirname "$0")/../.."
REPEATS=${1:-2}; PAIRS=${2:-}
dotnet build src/MLNet.Subspace.Cli -c Release -v q 2>&1 | grep -E "rror\(s\)"
C=src/MLNet.Subspace.Cli/bin/Release/net10.0/subspace
DIR=$(mktemp -d)
$C bench-cka graphs --layers 36 --n 2000 --k 15 --seed 0 --out "$DIR" --repeat 1 > /dev/null
for r in $(seq "$REPEATS"); do
  echo "ours  graphs:    $($C bench-cka graphs --layers 36 --n 2000 --k 15 --seed 0 --repeat 3 --dense)"
  echo "peer  graphs:    $(/usr/bin/python3 bench/cka/peer_pairs.py "$DIR" ${PAIRS:+--pairs $PAIRS})"
  echo "ours  minibatch: $($C bench-cka minibatch --n 50000 --d1 512 --d2 256 --batch 1000)"
  echo "peer  minibatch: $(/usr/bin/python3 bench/cka/peer_minibatch.py --n 50000 --d1 512 --d2 256 --batch 1000)"
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
done
rm -rf "$DIR"
