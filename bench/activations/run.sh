#!/bin/sh
# Throughput of ResNet-18 (32x32x3, batch 128): TorchSharp (subspace bench-torch) and PyTorch
# (resnet18_torch.py, Debian's python3-torch) run back to back, alternating, REPEATS times, with the
# same intra-op thread count on both sides. Prints every JSON line, then the ratios per repeat and
# their median (mean throughput and best-batch throughput).
# Usage: bench/activations/run.sh [THREADS=2] [REPEATS=3] [BATCH=128] [ITERATIONS=3]
set -eu
cd "$(dirname "$0")/../.."
THREADS=${1:-2}; REPEATS=${2:-3}; BATCH=${3:-128}; ITERATIONS=${4:-3}
dotnet build -c Release src/MLNet.Subspace.Cli -v q -nologo >/dev/null
CLI=src/MLNet.Subspace.Cli/bin/Release/net10.0/subspace
OUT=$(mktemp)
for r in $(seq "$REPEATS"); do
  for mode in inference training; do
    $CLI bench-torch --threads "$THREADS" --batch "$BATCH" --iterations "$ITERATIONS" --mode "$mode" | sed "s/^{/{\"repeat\":$r,/" | tee -a "$OUT"
    /usr/bin/python3 bench/activations/resnet18_torch.py --threads "$THREADS" --batch "$BATCH" --iterations "$ITERATIONS" --mode "$mode" | sed "s/^{/{\"repeat\": $r, /" | tee -a "$OUT"
  done
  $CLI bench-torch --threads "$THREADS" --batch "$BATCH" --iterations "$ITERATIONS" --mode extractor | sed "s/^{/{\"repeat\":$r,/" | tee -a "$OUT"
done
/usr/bin/python3 - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
def get(side, mode, r, key):
    return next(x[key] for x in rows if x["side"] == side and x["mode"] == mode and x["repeat"] == r)
repeats = sorted({x["repeat"] for x in rows})
for mode, ours in (("inference", "inference"), ("extractor", "extractor"), ("training", "training")):
    theirs = "inference" if mode == "extractor" else mode
    for key in ("images_per_s", "best_images_per_s"):
        ratios = [get("torchsharp", ours, r, key) / get("pytorch", theirs, r, key) for r in repeats]
        print(f"{mode:9s} {key:18s} TorchSharp/PyTorch per repeat: {', '.join(f'{v:.2f}' for v in ratios)}; median {statistics.median(ratios):.2f}")
PY
rm -f "$OUT"
