#!/usr/bin/python3
"""Prints the tables of docs/findings.md from the run folders bench/findings/run.sh writes.

Usage: /usr/bin/python3 bench/findings/summarize.py runs/findings
Reads each run's summary.csv, layerwise.csv, settling.csv and blocks.csv (the files every
`subspace demo` / `subspace analyze` run folder holds) and prints Markdown.
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
print("| run | layers | blocks (layer ranges) | score | mean SSC-CKA within / between blocks |")
print("|---|---|---|---|---|")
epoch_runs = sorted(d for d in os.listdir(out) if "-epoch-" in d and rows(d, "summary.csv"))
for r in present(SMALL + RESNETS) + epoch_runs:
    s = rows(r, "summary.csv")[0]
    b = rows(r, "blocks.csv")
    ranges = " ".join(f'{x["start"]}-{x["end"]}' for x in b)
    matrix = [[float(v) for v in row[1:]] for row in list(csv.reader(open(os.path.join(out, r, "ssc_cka.csv"))))[1:]]
    block = [i for i, x in enumerate(b) for _ in range(int(x["size"]))]
    pairs = [(i, j) for i in range(len(matrix)) for j in range(len(matrix)) if i != j]
    within = [matrix[i][j] for i, j in pairs if block[i] == block[j]]
    between = [matrix[i][j] for i, j in pairs if block[i] != block[j]]
    mean = lambda v: f"{sum(v) / len(v):.3f}" if v else "-"
    print(f'| {r} | {s["layers"]} | {s["blocks"]}: {ranges} | {num(s["block_score"])} | {mean(within)} / {mean(between)} |')

print("\n## SSC prediction against the network (last conv layer)\n")
print("| run | SSC prediction accuracy | network accuracy | agreement |")
print("|---|---|---|---|")
for r in present(SMALL + RESNETS):
    s = rows(r, "summary.csv")[0]
    print(f'| {r} | {pct(s["ssc_accuracy"])} | {pct(s["network_accuracy"])} | {pct(s["agreement"])} |')
