#!/usr/bin/env python3
"""NumPy peer of `subspace bench-cka layers --out DIR`: the L x L linear CKA of the same float32 layers, the way NumPy
code does it when every kernel fits: each layer's N x N Gram in float64 (reference.py's center_gram on X X^T), all L
centred kernels stacked as the rows of one L x N^2 matrix and multiplied once (L N^2 x 8 bytes). Prints one JSON object
with the time, the peak memory and the largest difference from our matrix (DIR/ours.csv).
Usage: /usr/bin/python3 bench/cka/peer_layers.py DIR"""
import json, os, resource, sys, time
import numpy as np
sys.path.insert(0, os.environ.get("PEER_DIR", "/work/shared/peers"))
import reference as r

d = sys.argv[1]
meta = json.load(open(f"{d}/meta.json"))
n, widths, debiased = meta["n"], meta["widths"], meta["debiased"]
layers = [np.fromfile(f"{d}/layer_{l:02d}.f32", dtype=np.float32).reshape(n, w) for l, w in enumerate(widths)]
t = time.perf_counter()
stack = np.empty((len(layers), n * n))
for l, x in enumerate(layers):
    x64 = x.astype(np.float64)
    stack[l] = r.center_gram(x64 @ x64.T, debiased).ravel()
products = stack @ stack.T
norms = np.sqrt(np.diag(products))
cka = products / np.outer(norms, norms)
seconds = time.perf_counter() - t
ours = np.loadtxt(f"{d}/ours.csv", delimiter=",")
print(json.dumps({"n": n, "layers": len(layers), "features": int(sum(widths)), "seconds": seconds,
                  "gflops_per_second_nominal": 2.0 * n * n * sum(widths) / seconds / 1e9,
                  "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "max_abs_difference_from_ours": float(np.max(np.abs(cka - ours))), "cka_0_1": float(cka[0, 1])}))
