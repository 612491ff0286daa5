#!/usr/bin/python3
"""Prints the tables of docs/findings.md from the run folders bench/findings/run.sh writes.

Usage: /usr/bin/python3 bench/findings/summarize.py runs/findings
Reads each run's summary.csv, layerwise.csv and settling.csv (the files every `subspace demo` /
`subspace analyze` run folder holds) and OUT/blocks/block_table.csv (bench/findings/blocks.sh) and prints Markdown.
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


SMALL = ["depth-2", "depth-4", "depth-6", "width-8", "width-32", "data-0.02", "data-0.5"]
RESNETS = ["resnet18-16", "resnet34-16", "resnet50-16", "resnet18-32", "resnet18-16-data-0.02"]


def model_of(run):
    path = os.path.join(out, run, "manifest.json")
    with open(path) as f:
        m = json.load(f)
    o = m["Options"]
    return f'{o.get("model", "?")}, {100 * float(o.get("training_fraction", "nan")):g} %'


print("## Modularity against depth\n")
print("| run | network, data | test acc. | layers | Q first | Q last | max Q (layer) | Spearman(depth, Q) |")
print("|---|---|---|---|---|---|---|---|")
for r in present(SMALL + RESNETS):
    s = rows(r, "summary.csv")[0]
    lw = rows(r, "layerwise.csv")
    best = max(lw, key=lambda x: float(x["modularity"]))
    print(f'| {r} | {model_of(r)} | {pct(s["test_accuracy"])} | {s["layers"]} | {num(s["first_layer_modularity"])} | '
          f'{num(s["last_layer_modularity"])} | {num(best["modularity"])} ({best["layer_index"]}) | {num(s["depth_modularity_rho"])} |')

print("\n## Settling (first epoch from which SSC-CKA to the final epoch stays >= 0.9)\n")
print("| run | settle epoch per layer, input to output | Spearman(depth, settle epoch) | last layer settles at |")
print("|---|---|---|---|")
for r in present(SMALL + RESNETS):
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
    print("| run | layers | blocks (first layers) | layer-name groups start at | score | p-value | mean SSC-CKA within / between |")
    print("|---|---|---|---|---|---|---|")
    for b in csv.DictReader(open(table, newline="")):
        within = num(b["within_mean"]) if b["within_mean"] not in ("", "NaN") else "-"
        between = num(b["between_mean"]) if b["between_mean"] not in ("", "NaN") else "-"
        print(f'| {b["run"]} | {b["layers"]} | {b["blocks"]}: {b["starts"]} | {b["name_group_starts"]} | {num(b["score"])} | {float(b["p_value"]):.3f} | {within} / {between} |')
else:
    print(f"No {table}: run bench/findings/blocks.sh {out} first.")

print("\n## SSC prediction against the network (last conv layer)\n")
print("| run | SSC prediction accuracy | network accuracy | agreement |")
print("|---|---|---|---|")
for r in present(SMALL + RESNETS):
    s = rows(r, "summary.csv")[0]
    print(f'| {r} | {pct(s["ssc_accuracy"])} | {pct(s["network_accuracy"])} | {pct(s["agreement"])} |')
