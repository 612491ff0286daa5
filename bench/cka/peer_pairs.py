#!/usr/bin/env python3
"""Time the NumPy peer's cka_gram (what `reference.py cka --gram` runs) over pairs of the graphs that
`subspace bench-cka graphs --out DIR` wrote (i,j,w triplets), in ONE python process (no process start,
no CSV parsing inside the timing: the most favourable loop for the peer).
Usage: /usr/bin/python3 bench/cka/peer_pairs.py DIR [--pairs K] [--debiased]
  --pairs K: time the first K pairs of the upper triangle and extrapolate to all L(L-1)/2 (default: all)."""
import argparse, glob, json, sys, time, os
import numpy as np
sys.path.insert(0, os.environ.get("PEER_DIR", "/work/shared/peers"))
import reference as r

p = argparse.ArgumentParser(); p.add_argument("dir"); p.add_argument("--pairs", type=int); p.add_argument("--debiased", action="store_true")
a = p.parse_args()
files = sorted(glob.glob(f"{a.dir}/W_*.csv"))
t = time.perf_counter()
graphs = []
for f in files:
    ijw = np.loadtxt(f, delimiter=",", ndmin=2)
    n = int(ijw[:, :2].max()) + 1 if len(graphs) == 0 else graphs[0].shape[0]
    W = np.zeros((n, n)); W[ijw[:, 0].astype(int), ijw[:, 1].astype(int)] = ijw[:, 2]
    graphs.append(W)
n = max(g.shape[0] for g in graphs)
load_s = time.perf_counter() - t
pairs = [(i, j) for i in range(len(graphs)) for j in range(i + 1, len(graphs))]
todo = pairs[: a.pairs] if a.pairs else pairs
t = time.perf_counter()
values = [r.cka_gram(graphs[i], graphs[j], a.debiased) for i, j in todo]
s = time.perf_counter() - t
print(json.dumps({"layers": len(graphs), "n": n, "pairs_timed": len(todo), "pairs_total": len(pairs),
                  "seconds_timed": s, "seconds_per_pair": s / len(todo), "seconds_all_pairs": s / len(todo) * len(pairs),
                  "extrapolated": len(todo) < len(pairs), "cka_01": values[0], "load_seconds": load_s}))
