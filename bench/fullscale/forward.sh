#!/usr/bin/env bash
# Streamed activation extraction against a plain forward pass (docs/benchmarks.md, "The full-scale protocol"): resnet18-16,
# the 10,000 Fashion-MNIST test images, batch 128, both twice in one process.
# Usage: bench/fullscale/forward.sh WEIGHTS.pt [SCRATCH_FOLDER]   (a snapshot of subspace demo/train, e.g. runs/demo/snapshots/epoch-004.pt)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SCRATCH="${2:-/tmp/forward-pass}"
mkdir -p "$SCRATCH"
dotnet run -c Release --project "$ROOT/bench/fullscale/ForwardPass" -- "$1" "$SCRATCH"
rm -rf "$SCRATCH"
echo "load $(cut -d' ' -f1 /proc/loadavg)"
