#!/usr/bin/env bash
# The full-scale protocol of issue 12 (docs/benchmarks.md, "The full-scale protocol"): subspace demo --full, i.e. resnet18-16
# trained on Fashion-MNIST with a snapshot per epoch, all 10,000 test images as probes, every conv layer (20, shortcuts
# included) at each of 5 epochs: 100 SSC graphs, per-epoch linear-CKA and SSC-CKA L x L matrices, dynamics, neighbourhoods,
# report. Prints the wall time, the peak resident memory (GNU time) and the run's per-phase seconds (timings.csv), and the
# share of the GEMM limit of the Gram phase (2 N^2 sum(d) flops per epoch).
# Usage: bench/fullscale/run.sh [OUT_DIR] [extra options...]   (default /tmp/fullscale)
#   SNAPSHOTS=folder bench/fullscale/run.sh ...  analyses the epoch-NNN.pt snapshots of an earlier demo/train run of
#   resnet18-16 instead of training (subspace analyze --full --snapshots folder), so the analysis is timed on its own.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-/tmp/fullscale}"; shift || true
mkdir -p "$OUT"
# The build hard-links its outputs; a copy keeps the run's binaries from changing under it when the repository is rebuilt.
dotnet build -c Release "$ROOT/src/MLNet.Subspace.Cli" -o "$OUT/build" > "$OUT/build.log" 2>&1
rm -rf "$OUT/cli" && cp -r "$OUT/build" "$OUT/cli"
echo "start $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
if [ -n "${SNAPSHOTS:-}" ]; then
  COMMAND=(analyze --full --model resnet18-16 --snapshots "$SNAPSHOTS")
else
  COMMAND=(demo --full)
fi
/usr/bin/time -v -o "$OUT/time.txt" "$OUT/cli/subspace" "${COMMAND[@]}" --out "$OUT/run" "$@" > "$OUT/run.log" 2>&1
echo "end $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
grep -E "Elapsed \(wall clock\)|Maximum resident set size" "$OUT/time.txt"
/usr/bin/python3 "$ROOT/bench/fullscale/summarize.py" "$OUT/run"
