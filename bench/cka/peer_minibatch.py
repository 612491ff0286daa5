#!/usr/bin/env python3
"""Minibatch CKA in NumPy with the peer's own functions (center_gram unbiased, Gram of each batch),
on two random layers of the same shapes as `subspace bench-cka minibatch` (NumPy's own random data).
Usage: /usr/bin/python3 bench/cka/peer_minibatch.py [--n 50000 --d1 512 --d2 256 --batch 1000]"""
import argparse, json, os, resource, sys, time
import numpy as np
sys.path.insert(0, os.environ.get("PEER_DIR", "/work/shared/peers"))
import reference as r

p = argparse.ArgumentParser()
for name, v in [("--n", 50000), ("--d1", 512), ("--d2", 256), ("--batch", 1000)]: p.add_argument(name, type=int, default=v)
a = p.parse_args()
rng = np.random.default_rng(0)
x = rng.standard_normal((a.n, a.d1), dtype=np.float32)
y = np.maximum(x @ (rng.standard_normal((a.d1, a.d2), dtype=np.float32) / np.sqrt(a.d1)), 0) + 0.5 * rng.standard_normal((a.n, a.d2), dtype=np.float32)
t = time.perf_counter()
sxy = sxx = syy = 0.0
batches = 0
for s in range(0, a.n - a.batch + 1, a.batch):
    xb = x[s:s + a.batch].astype(np.float64); yb = y[s:s + a.batch].astype(np.float64)
    kx = r.center_gram(xb @ xb.T, True); ky = r.center_gram(yb @ yb.T, True)
    sxy += kx.ravel() @ ky.ravel(); sxx += kx.ravel() @ kx.ravel(); syy += ky.ravel() @ ky.ravel()
    batches += 1
mb = time.perf_counter() - t
cka_mb = sxy / np.sqrt(sxx * syy)
t = time.perf_counter(); full = r.cka_feature(x.astype(np.float64), y.astype(np.float64)); fs = time.perf_counter() - t
print(json.dumps({"n": a.n, "d1": a.d1, "d2": a.d2, "batch": a.batch, "batches": batches, "minibatch_cka": cka_mb,
                  "minibatch_seconds": mb, "full_feature_cka_biased": full, "full_feature_seconds": fs,
                  "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
