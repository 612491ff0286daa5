#!/usr/bin/env python3
"""Per-phase totals of a run folder's timings.csv (written by every analysis run), with the Gram phase's share of the GEMM
limit: the Gram products cost 2 N^2 d flops per layer pass (d from layerwise.csv, N given, default 10,000).
Usage: summarize.py RUN_FOLDER [N] [GFLOPS_LIMIT]"""
import csv, sys, re, collections

folder = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
limit = float(sys.argv[3]) if len(sys.argv) > 3 else 136.0  # GFLOP/s, measured float32 matmul on this machine (docs/benchmarks.md)
features = {}
with open(f"{folder}/layerwise.csv") as f:
    for row in csv.DictReader(f):
        features[row["layer"]] = int(row["features"])
totals = collections.OrderedDict()
gram_flops = 0.0
with open(f"{folder}/timings.csv") as f:
    for row in csv.DictReader(f):
        step, seconds = row["step"], float(row["seconds"])
        m = re.match(r"epoch \d+, (.+): (read|Gram X X\^T|SSC graph|centred Gram written)$", step)
        if m:
            phase = m.group(2)
            if phase.startswith("Gram"):
                gram_flops += 2.0 * n * n * features[m.group(1)]
        elif step.startswith("training"):
            phase = "training"
        elif step.startswith("SSC solve"):
            continue  # the final epoch's solves, already inside "SSC graph"
        else:
            phase = re.sub(r"^epoch \d+: ", "", step)
        totals[phase] = totals.get(phase, 0.0) + seconds
for phase, seconds in totals.items():
    print(f"{phase:60s} {seconds:9.1f} s")
print(f"{'total of the phases above':60s} {sum(totals.values()):9.1f} s")
if "Gram X X^T" in totals:
    # From 4,096 rows the products run over the upper block triangle of four row blocks: 10 of 16 blocks, 5/8 of the flops.
    done = gram_flops * (5 / 8 if n >= 4096 else 1)
    seconds = totals["Gram X X^T"]
    print(f"Gram products: 2 N^2 sum(d) = {gram_flops:.3g} flop as one product each, {done:.3g} flop done (block triangle), in {seconds:.1f} s:")
    print(f"  {done / seconds / 1e9:.0f} GFLOP/s done = {100 * done / seconds / 1e9 / limit:.0f} % of {limit:.0f} GFLOP/s; {gram_flops / seconds / 1e9:.0f} GFLOP/s as full products")
