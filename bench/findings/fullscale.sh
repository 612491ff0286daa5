#!/usr/bin/env bash
# The runs behind docs/findings.md at scale (issue 16): ResNets trained on Fashion-MNIST with a snapshot per epoch
# ('subspace train'), then analysed with 'subspace analyze' on those snapshots, with OMP SSC (the default solver) on every
# conv layer, shortcut convs included. Every step resumes: re-running the script skips finished training and analyses.
# Usage: bench/findings/fullscale.sh [OUT] [STEP...]   (OUT defaults to runs/findings-full; STEPs default to all, in order)
#   OUT/snapshots/NAME   the training run (epoch-NNN.pt + .json metrics)
#   OUT/NAME             the analysis of every epoch at PROBES_PER_CLASS (default 200: N = 2,000)
#   OUT/NAME-final-10k   the last epoch alone at all 10,000 test images (the N check)
#   OUT/NAME-final-S-P   the last epoch with solver S (omp, or admm as the paper) at P probes per class
#   OUT/resnet18-16-e30-admm-epochs   epochs 1, 3, 10, 30 of the 30-epoch run with admm
#   OUT/steps.csv        one row per step: name, seconds, load average (the machine time of the sweep)
# Then bench/findings/fullscale-tables.sh OUT prints the tables of docs/findings.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-runs/findings-full}"; shift || true
mkdir -p "$OUT"
PROBES="${PROBES_PER_CLASS:-200}"
SEED=7
# The build hard-links its outputs; a copy keeps the sweep's binaries fixed while the repository is rebuilt.
if [ ! -x "$OUT/cli/subspace" ]; then
  dotnet build -c Release "$ROOT/src/MLNet.Subspace.Cli" -o "$OUT/build" > "$OUT/build.log" 2>&1
  rm -rf "$OUT/cli" && cp -r "$OUT/build" "$OUT/cli"
fi
cli="$OUT/cli/subspace"
[ -f "$OUT/steps.csv" ] || echo "step,seconds,load_start,load_end,finished_utc" > "$OUT/steps.csv"

timed() {  # timed STEP COMMAND...: runs it once (a step already in steps.csv is skipped), appends its time
  local step=$1; shift
  if grep -q "^$step," "$OUT/steps.csv"; then return; fi
  local load0 t0; load0=$(cut -d' ' -f1 /proc/loadavg); t0=$(date +%s.%N)
  echo "== $step ($(date -u +%T), load $load0)"
  "$@" > "$OUT/$step.log" 2>&1 || { echo "$step failed: $OUT/$step.log"; tail -n 5 "$OUT/$step.log"; exit 1; }
  echo "$step,$(echo "$(date +%s.%N) - $t0" | bc),$load0,$(cut -d' ' -f1 /proc/loadavg),$(date -u +%FT%TZ)" >> "$OUT/steps.csv"
}
train() {  # train NAME MODEL FRACTION EPOCHS
  timed "train-$1" "$cli" train --model "$2" --fraction "$3" --epochs "$4" --lr 0.05 --seed $SEED --out "$OUT/snapshots/$1"
}
analyze() {  # analyze NAME MODEL: every epoch at PROBES per class
  timed "analyze-$1" "$cli" analyze --model "$2" --snapshots "$OUT/snapshots/$1" --probes-per-class "$PROBES" --seed $SEED --out "$OUT/$1"
}
last_snapshot() { ls "$OUT/snapshots/$1"/epoch-[0-9][0-9][0-9].pt | tail -n 1; }
final10k() {  # final10k NAME MODEL: the last epoch at every test image
  timed "final10k-$1" "$cli" analyze --model "$2" --weights "$(last_snapshot "$1")" --full --seed $SEED --out "$OUT/$1-final-10k"
}
# The paper's solver: exact ADMM-Lasso (Elhamifar-Vidal lambda, alpha 20) on unit-length inputs, as the 500-probe findings used.
ADMM=(--solver admm --alpha 20 --normalize-inputs)
final_solver() {  # final_solver NAME MODEL PER_CLASS SOLVER_TAG: the last epoch with omp (the default) or admm at PER_CLASS probes
  grep -q "^train-$1," "$OUT/steps.csv" || { echo "-- final-$4-$3-$1 waits for train-$1"; return; }  # a later 'solvers' step does it
  local options=(); [ "$4" = admm ] && options=("${ADMM[@]}")
  timed "final-$4-$3-$1" "$cli" analyze --model "$2" --weights "$(last_snapshot "$1")" --probes-per-class "$3" "${options[@]}" --seed $SEED --out "$OUT/$1-final-$4-$3"
}
onnx() {  # onnx [admm|flat|flat-admm]: the pretrained ImageNet ResNet-18 (docs/onnx.md) on PROBES per class, every Conv
  # averaged over H and W, or flattened as the zoo networks are (C x H x W values per probe: 802,816 at the first conv)
  local tag=${1:-} options=() pooling=GlobalAverage
  case "$tag" in admm) options=("${ADMM[@]}");; flat) pooling=Flatten;; flat-admm) options=("${ADMM[@]}"); pooling=Flatten;; esac
  local model; model=$(find ~/.nuget/packages/microsoft.ml.dnnimagefeaturizer.resnet18 -name ResNet18.onnx | head -n 1)
  [ -n "$model" ] || { dotnet restore "$ROOT/MLNet.Subspace.sln" > /dev/null; model=$(find ~/.nuget/packages/microsoft.ml.dnnimagefeaturizer.resnet18 -name ResNet18.onnx | head -n 1); }
  timed "analyze-pretrained-resnet18${tag:+-$tag}" "$cli" analyze --onnx "$model" --onnx-input 3,224,224 --onnx-normalize ImageNet \
    --onnx-pooling "$pooling" --probes-per-class "$PROBES" "${options[@]}" --seed $SEED --out "$OUT/pretrained-resnet18${tag:+-final-$tag-$PROBES}"
}

step_epochs() { train resnet18-16-e30 resnet18-16 0.25 30; analyze resnet18-16-e30 resnet18-16; final10k resnet18-16-e30 resnet18-16; }
step_depth()  { train resnet18-16 resnet18-16 0.25 5; analyze resnet18-16 resnet18-16
                train resnet34-16 resnet34-16 0.25 5; analyze resnet34-16 resnet34-16
                train resnet50-16 resnet50-16 0.25 5; analyze resnet50-16 resnet50-16; }
step_data()   { for f in 0.05 0.5; do train "resnet34-16-data-$f" resnet34-16 "$f" 5; analyze "resnet34-16-data-$f" resnet34-16; done; }
step_data_full() { train resnet34-16-data-1 resnet34-16 1 5; analyze resnet34-16-data-1 resnet34-16; }  # the longest training: last
step_pretrained() { onnx; onnx admm; }
step_pretrained_flat() { onnx flat; onnx flat-admm; }
# The solver and N behind the modularity figures: the final resnet18-16 at N = 500 and 2,000 with omp and admm, and the
# depth, data and width networks' last epochs with admm at N = 2,000.
step_solvers() { final_solver resnet18-16-e30 resnet18-16 50 omp; final_solver resnet18-16-e30 resnet18-16 50 admm
                 final_solver resnet18-16-e30 resnet18-16 200 admm
                 for n in resnet18-16 resnet34-16 resnet50-16; do final_solver "$n" "$n" 200 admm; done
                 for f in 0.05 0.5 1; do final_solver "resnet34-16-data-$f" resnet34-16 200 admm; done
                 for w in 16 32 64; do final_solver "resnet18-$w-data-0.1" "resnet18-$w" 200 admm; done; }
# The fading claim with the paper's solver: epochs 1, 3, 10 and 30 of resnet18-16-e30 (a folder of links keeps their
# numbers) with admm at PROBES per class.
step_epochs_admm() {
  local subset="$OUT/snapshots/resnet18-16-e30-epochs-1-3-10-30"; mkdir -p "$subset"
  for e in 001 003 010 030; do for x in pt json; do ln -sf "../resnet18-16-e30/epoch-$e.$x" "$subset/epoch-$e.$x"; done; done
  timed analyze-admm-resnet18-16-e30-epochs "$cli" analyze --model resnet18-16 --snapshots "$subset" --probes-per-class "$PROBES" "${ADMM[@]}" \
    --seed $SEED --out "$OUT/resnet18-16-e30-admm-epochs"
}
step_width()  { for w in 16 32 64; do train "resnet18-$w-data-0.1" "resnet18-$w" 0.1 5; analyze "resnet18-$w-data-0.1" "resnet18-$w"; done; }

# The solver runs of networks not yet trained wait for the later 'solvers' step, so the order below puts the solver check
# of the first networks before the long data and width trainings.
steps=("$@"); [ ${#steps[@]} -gt 0 ] || steps=(epochs depth solvers pretrained data epochs_admm width solvers data_full solvers)
for s in "${steps[@]}"; do "step_$s"; done
echo "sweep done: $(awk -F, 'NR > 1 { s += $2 } END { printf "%.0f s of steps", s }' "$OUT/steps.csv")"
