#!/usr/bin/python3
"""Prints the tables of docs/findings.md from the run folders bench/findings/fullscale.sh (or the earlier run.sh) writes.

Usage: /usr/bin/python3 bench/findings/summarize.py runs/findings-full
Reads each run's summary.csv, layerwise.csv, settling.csv and blocks_by_epoch.csv (the files every `subspace demo` /
`subspace analyze` run folder holds), OUT/blocks/block_table.csv (bench/findings/blocks.sh) and, for the full-scale
sweep, OUT/steps.csv (its machine time), and prints Markdown.
"""
import csv
import json
import os
import sys

from scipy.stats import spearmanr

out = sys.argv[1] if len(sys.argv) > 1 else "runs/findings"


def rows(run, name):
    path = os.path.join(out, run, name)
    if not os.path.exists(path):
        return None
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def pct(v):
    return f"{100 * float(v):.1f} %"


def num(v):
    v = float(v)
    return f"{0.0 if abs(v) < 5e-4 else v:.3f}"  # no "-0.000"


def present(runs):
    return [r for r in runs if rows(r, "summary.csv")]


# The full-scale sweep (bench/findings/fullscale.sh): training run -> network, share of the training split, epochs. The
# analyses of snapshots do not know how the network was trained, so the sweep's own table says it. Each training run's
# folder is followed by its last epoch's extra analyses, NAME-final-* (all test images; other solvers and N).
FULLSCALE = {
    "resnet18-16-e30": ("resnet18-16", 0.25, 30),
    "resnet18-16": ("resnet18-16", 0.25, 5), "resnet34-16": ("resnet34-16", 0.25, 5), "resnet50-16": ("resnet50-16", 0.25, 5),
    "resnet34-16-data-0.05": ("resnet34-16", 0.05, 5), "resnet34-16-data-0.5": ("resnet34-16", 0.5, 5),
    "resnet34-16-data-1": ("resnet34-16", 1.0, 5),
    "resnet18-16-data-0.1": ("resnet18-16", 0.1, 5), "resnet18-32-data-0.1": ("resnet18-32", 0.1, 5),
    "resnet18-64-data-0.1": ("resnet18-64", 0.1, 5),
    "pretrained-resnet18": ("ImageNet ResNet-18 (ONNX)", None, None),
}
LEGACY = ["depth-2", "depth-4", "depth-6", "width-8", "width-32", "data-0.02", "data-0.5",
          "resnet18-16", "resnet34-16", "resnet50-16", "resnet18-32", "resnet18-16-data-0.02"]
FULL = os.path.exists(os.path.join(out, "steps.csv"))


def with_finals(base):
    finals = sorted(d for d in os.listdir(out) if d.startswith(base + "-final-") and d[len(base) + 7:].count("-") <= 2)
    return [base] + finals + ([base + "-admm-epochs"] if os.path.isdir(os.path.join(out, base + "-admm-epochs")) else [])


RUNS = [r for b in FULLSCALE for r in with_finals(b)] if FULL else LEGACY


def base_of(run):
    """The training run an analysis read: NAME for NAME-final-* and NAME-admm-epochs."""
    return run.split("-final-")[0].removesuffix("-admm-epochs")


def model_of(run):
    if FULL:
        model, fraction, epochs = FULLSCALE[base_of(run)]
        return model if fraction is None else f"{model}, {100 * fraction:g} %, {epochs} ep."
    path = os.path.join(out, run, "manifest.json")
    with open(path) as f:
        m = json.load(f)
    o = m["Options"]
    return f'{o.get("model", "?")}, {100 * float(o.get("training_fraction", "nan")):g} %'


def solver_of(run):
    with open(os.path.join(out, run, "manifest.json")) as f:
        return json.load(f)["Options"]["ssc"].split(",")[0]


def test_accuracy(run):
    """The last snapshot's test accuracy (epoch-NNN.json of the training run) for the sweep; summary.csv's otherwise."""
    if FULL and FULLSCALE[base_of(run)][1] is not None:
        folder = os.path.join(out, "snapshots", base_of(run))
        last = sorted(f for f in os.listdir(folder) if f.startswith("epoch-") and f.endswith(".json"))[-1]
        with open(os.path.join(folder, last)) as f:
            return pct(json.load(f)["Metrics"][-1]["TestAccuracy"])
    return acc(rows(run, "summary.csv")[0])


def acc(s):
    return "-" if s["test_accuracy"] in ("", "NaN") else pct(s["test_accuracy"])


print("## Modularity against depth\n")
print("| run | network, data | test acc. | solver | N | layers | Q first | Q last | max Q (layer) | Spearman(depth, Q) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r in present(RUNS):
    s = rows(r, "summary.csv")[0]
    lw = rows(r, "layerwise.csv")
    best = max(lw, key=lambda x: float(x["modularity"]))
    print(f'| {r} | {model_of(r)} | {test_accuracy(r)} | {solver_of(r)} | {s["probes"]} | {s["layers"]} | {num(s["first_layer_modularity"])} | '
          f'{num(s["last_layer_modularity"])} | {num(best["modularity"])} ({best["layer_index"]}) | {num(s["depth_modularity_rho"])} |')

print("\n## Settling (first epoch from which SSC-CKA to the final epoch stays >= 0.9)\n")
print("| run | settle epoch per layer, input to output | Spearman(depth, settle epoch) | last layer settles at |")
print("|---|---|---|---|")
for r in present(RUNS):
    st = rows(r, "settling.csv")
    if not st:
        continue
    epochs = [int(x["settle_epoch_ssc_cka"]) for x in st]
    rho = spearmanr(range(len(epochs)), epochs).statistic if len(set(epochs)) > 1 else float("nan")
    print(f'| {r} | {" ".join(map(str, epochs))} | {rho:.2f} | {epochs[-1]} |')

print("\n## Block structure of the L x L SSC-CKA matrix\n")
# Recomputed by 'subspace blocks' (bench/findings/blocks.sh, which run.sh calls first): the maths stays in the library.
table = os.path.join(out, "blocks", "block_table.csv")
if os.path.exists(table):
    print(f"(from {table}; bench/findings/blocks.sh {out} prints it with the per-K rows)\n")
    print("| run | layers | blocks (first layers) | largest gap: K (first layers) | layer-name groups start at | score | p-value | mean SSC-CKA within / between |")
    print("|---|---|---|---|---|---|---|---|")
    for b in csv.DictReader(open(table, newline="")):
        within = num(b["within_mean"]) if b["within_mean"] not in ("", "NaN") else "-"
        between = num(b["between_mean"]) if b["between_mean"] not in ("", "NaN") else "-"
        print(f'| {b["run"]} | {b["layers"]} | {b["blocks"]}: {b["starts"]} | {b.get("max_gap_blocks", "?")}: {b.get("max_gap_starts", "?")} | {b["name_group_starts"]} | {num(b["score"])} | {float(b["p_value"]):.3f} | {within} / {between} |')
else:
    print(f"No {table}: run bench/findings/blocks.sh {out} first.")

for r in present(RUNS):
    by_epoch = rows(r, "blocks_by_epoch.csv")
    if not by_epoch or len(by_epoch) < 4:
        continue
    print(f"\n### Blocks per epoch: {r} ({r}/blocks_by_epoch.csv)\n")
    print("| epoch | blocks (first layers) | largest gap: K (first layers) | score | p-value | within / between | final blocks: within / between |")
    print("|---|---|---|---|---|---|---|")
    for b in by_epoch:
        opt = lambda v: "-" if v in ("", "NaN") else num(v)
        print(f'| {b["epoch"]} | {b["blocks"]}: {b["starts"]} | {b.get("max_gap_blocks", "?")}: {b.get("max_gap_starts", "?")} | {num(b["score"])} | {float(b["p_value"]):.3f} | '
              f'{opt(b["within_mean"])} / {opt(b["between_mean"])} | {opt(b["final_blocks_within_mean"])} / {opt(b["final_blocks_between_mean"])} |')

print("\n## SSC prediction against the network (last conv layer)\n")
print("| run | SSC prediction accuracy | network accuracy | agreement |")
print("|---|---|---|---|")
for r in present(RUNS):
    s = rows(r, "summary.csv")[0]
    if FULL and FULLSCALE[base_of(r)][1] is None:  # an ImageNet featurizer: its output does not score these classes
        print(f'| {r} | {pct(s["ssc_accuracy"])} | - | - |')
        continue
    print(f'| {r} | {pct(s["ssc_accuracy"])} | {pct(s["network_accuracy"])} | {pct(s["agreement"])} |')

if FULL:
    steps = list(csv.DictReader(open(os.path.join(out, "steps.csv"), newline="")))
    print("\n## Machine time (steps.csv)\n")
    print("| step | minutes | load average at start / end |")
    print("|---|---|---|")
    for st in steps:
        print(f'| {st["step"]} | {float(st["seconds"]) / 60:.1f} | {st["load_start"]} / {st["load_end"]} |')
    print(f'| total | {sum(float(st["seconds"]) for st in steps) / 60:.1f} | |')
