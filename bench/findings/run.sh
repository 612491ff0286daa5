#!/usr/bin/env bash
# Reproduces docs/findings.md: sweeps over depth, width, training epochs and training-data fraction on
# Fashion-MNIST, each a full 'subspace demo' run (train with per-epoch snapshots, probes, SSC per layer per
# epoch, every analysis), then side-by-side comparisons. Usage: bench/findings/run.sh [OUT] [CLI]
# OUT defaults to runs/findings; CLI to the Release build of the subspace tool.
set -euo pipefail
out=${1:-runs/findings}
cli=${2:-}
if [ -z "$cli" ]; then
  dotnet build src/MLNet.Subspace.Cli -c Release -nologo -v:q >/dev/null
  cli="dotnet src/MLNet.Subspace.Cli/bin/Release/net10.0/subspace.dll"
fi
common="--epochs 3 --probes-per-class 20 --seed 7"
run() { local name=$1; shift; echo "== $name: $*"; $cli demo --out "$out/$name" $common "$@" | tail -n 4; }

# Depth (and three networks for the agreement table), width, data quantity.
run depth-2 --model smallcnn-2-16 --fraction 0.1
run depth-4 --model smallcnn-4-16 --fraction 0.1
run depth-6 --model smallcnn-6-16 --fraction 0.1
run width-8 --model smallcnn-4-8 --fraction 0.1
run width-32 --model smallcnn-4-32 --fraction 0.1
run data-0.02 --model smallcnn-4-16 --fraction 0.02
run data-0.5 --model smallcnn-4-16 --fraction 0.5
# Epochs: the depth-4 network's architecture after each epoch.
for e in 1 2 3; do
  echo "== epoch-$e"
  $cli analyze --model smallcnn-4-16 --weights "$out/depth-4/snapshots/epoch-00$e.pt" --out "$out/epoch-$e" --probes-per-class 20 --seed 7 | tail -n 3
done

$cli compare --out "$out/compare-depth" --title "Depth" --run 2-layers="$out/depth-2" --run 4-layers="$out/depth-4" --run 6-layers="$out/depth-6"
$cli compare --out "$out/compare-width" --title "Width" --run width-8="$out/width-8" --run width-16="$out/depth-4" --run width-32="$out/width-32"
$cli compare --out "$out/compare-data" --title "Training data" --run 2%="$out/data-0.02" --run 10%="$out/depth-4" --run 50%="$out/data-0.5"
$cli compare --out "$out/compare-epochs" --title "Epochs" --run epoch-1="$out/epoch-1" --run epoch-2="$out/epoch-2" --run epoch-3="$out/epoch-3"
