#!/usr/bin/env bash
# Reproduces docs/findings.md on Fashion-MNIST. Each run is a full 'subspace demo' (train with per-epoch
# snapshots, class-balanced probes from the test split, SSC per conv layer per epoch, every analysis);
# per-epoch architecture heatmaps come from 'subspace analyze' on the snapshots; 'subspace compare'
# puts each sweep side by side; summarize.py prints the tables of docs/findings.md.
# Usage: bench/findings/run.sh [OUT] [CLI]   (OUT defaults to runs/findings; CLI to the Release build)
# Finished runs are skipped on a re-run (every command resumes its run folder).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-runs/findings}
cli=${2:-}
if [ -z "$cli" ]; then
  dotnet build "$here/../../src/MLNet.Subspace.Cli" -c Release -nologo -v:q >/dev/null
  cli="dotnet $here/../../src/MLNet.Subspace.Cli/bin/Release/net10.0/subspace.dll"
fi
common="--probes-per-class 50 --seed 7"
run() { local name=$1; shift; echo "== $name: $* ($(date -u +%T))"; $cli demo --out "$out/$name" $common "$@" | tail -n 4; }
epochs() {  # epochs NAME MODEL E: the architecture of run NAME after each of its E epochs
  local name=$1 model=$2 n=$3 runs=()
  for e in $(seq "$n"); do
    local snap; snap=$(printf '%s/%s/snapshots/epoch-%03d.pt' "$out" "$name" "$e")
    echo "== $name-epoch-$e ($(date -u +%T))"
    $cli analyze --model "$model" --weights "$snap" --out "$out/$name-epoch-$e" $common | tail -n 3
    runs+=(--run "epoch-$e=$out/$name-epoch-$e")
  done
  $cli compare --out "$out/compare-epochs-$name" --title "Epochs ($model)" "${runs[@]}" >/dev/null
}

# Small CNNs: depth, width, data quantity (5 epochs on 10 % unless stated).
small="--epochs 5"
run depth-2 --model smallcnn-2-16 --fraction 0.1 $small
run depth-4 --model smallcnn-4-16 --fraction 0.1 $small
run depth-6 --model smallcnn-6-16 --fraction 0.1 $small
run width-8 --model smallcnn-4-8 --fraction 0.1 $small
run width-32 --model smallcnn-4-32 --fraction 0.1 $small
run data-0.02 --model smallcnn-4-16 --fraction 0.02 $small
run data-0.5 --model smallcnn-4-16 --fraction 0.5 $small
epochs depth-4 smallcnn-4-16 5

# ResNets (CIFAR stem, first-stage width 16): 20, 36 and 53 conv layers counting shortcuts, as the
# paper's ResNet-18/36/53; the 18's architecture after each epoch; width 32; 2 % of the data.
res="--epochs 5"
run resnet18-16 --model resnet18-16 --fraction 0.1 $res
epochs resnet18-16 resnet18-16 5
run resnet34-16 --model resnet34-16 --fraction 0.1 $res
run resnet50-16 --model resnet50-16 --fraction 0.1 $res
run resnet18-16-data-0.02 --model resnet18-16 --fraction 0.02 $res
run resnet18-32 --model resnet18-32 --fraction 0.1 $res

c() { local name=$1 title=$2; shift 2; $cli compare --out "$out/compare-$name" --title "$title" "$@" >/dev/null; }
c depth "Depth (small CNNs)" --run 2-layers="$out/depth-2" --run 4-layers="$out/depth-4" --run 6-layers="$out/depth-6"
c width "Width (small CNNs)" --run width-8="$out/width-8" --run width-16="$out/depth-4" --run width-32="$out/width-32"
c data "Training data (smallcnn-4-16)" --run 2%="$out/data-0.02" --run 10%="$out/depth-4" --run 50%="$out/data-0.5"
c resnet-depth "Depth (ResNets)" --run resnet18="$out/resnet18-16" --run resnet34="$out/resnet34-16" --run resnet50="$out/resnet50-16"
c resnet-width "Width (ResNet-18)" --run width-16="$out/resnet18-16" --run width-32="$out/resnet18-32"
c resnet-data "Training data (resnet18-16)" --run 2%="$out/resnet18-16-data-0.02" --run 10%="$out/resnet18-16"
"$here/blocks.sh" "$out" "$cli" >/dev/null
/usr/bin/python3 "$here/summarize.py" "$out"
