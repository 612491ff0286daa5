"""All pairs of L layers for every similarity measure: ours (subspace similarity --layer ..., each layer's own work done
once; its "seconds" = compute only, CSV parsing excluded) against the NumPy/SciPy loop a Python user would write, calling
the per-pair functions of bench/similarity/make_*fixtures.py (and the peer's cka_feature) for every pair, timed back to
back with ours in the same run.

Layers: N inputs; widths 64 x5, 128 x5, 256 x4, 512 x3, 1024 x2, 2048 x1 (L = 20, as a ResNet's stages; d up to 2,048);
each is a shared 20-dimensional signal through its own random map plus noise, rounded to float32 so both sides read the
same numbers. Symmetric measures visit L (L + 1) / 2 pairs on both sides, asymmetric ones (pwcca, cycle-knn, cknna) L^2.

With --by-width (a 4th argument) the NumPy side is timed on one pair of each width class (21 classes, 36 ordered
for asymmetric measures) and each time is multiplied by the number of the loop's pairs in that class: the loop's time
when a pair's cost depends only on the two widths (N is fixed), in a tenth of the wall time; the largest difference is
then over those pairs. On a loaded machine this is how all measures fit in one run.

Usage, from the repository root: /usr/bin/python3 bench/similarity/bench_all_pairs.py [N] [MEASURES] [OUT] [--by-width]
(defaults 2000, every measure, /tmp/similarity-all-pairs; MEASURES comma-separated, run in that order). Builds the CLI in Release first.
Prints one line per measure: times, the ratio, the largest difference between the two matrices, the 1-minute load.
"""
import json, os, subprocess, sys, time
import numpy as np
sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, "/work/shared/peers")
import make_fixtures as cf                # noqa: E402  (CCA family, Procrustes, shape metric)
import make_rsa_fixtures as rf            # noqa: E402  (RSA, k-NN alignment)
import make_permutation_fixtures as pf    # noqa: E402  (permutation metric)

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
chosen = sys.argv[2].split(",") if len(sys.argv) > 2 and sys.argv[2] else None
out = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else "/tmp/similarity-all-pairs"
by_width = "--by-width" in sys.argv[4:]
widths = [64] * 5 + [128] * 5 + [256] * 4 + [512] * 3 + [1024] * 2 + [2048]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(7)
z = rng.standard_normal((n, 20))
layers, paths = [], []
for l, d in enumerate(widths):
    x = (z @ rng.standard_normal((20, d)) + 0.5 * rng.standard_normal((n, d))).astype(np.float32).astype(np.float64)
    path = os.path.join(out, f"layer{l:02d}.csv")
    if not os.path.exists(path):
        np.savetxt(path, x, delimiter=",", fmt="%.9g")
    layers.append(x)
    paths.append(path)
subprocess.run(["dotnet", "build", "-c", "Release", "src/MLNet.Subspace.Cli", "-o", os.path.join(out, "cli")], check=True, capture_output=True)


def cka_feature(x, y):  # the peer's linear CKA (shared/peers/reference.py), feature space
    x = x - x.mean(0); y = y - y.mean(0)
    return float(np.linalg.norm(x.T @ y) ** 2 / (np.linalg.norm(x.T @ x) * np.linalg.norm(y.T @ y)))


k = 10
# name, our extra options, symmetric, the per-pair NumPy function
cases = [
    ("linear-cka", [], True, cka_feature),
    ("cca-r2", [], True, lambda x, y: float(np.mean(cf.cca(x, y)[0] ** 2))),
    ("svcca", [], True, lambda x, y: float(np.mean(cf.svcca(x, y, 0.99)))),
    ("pwcca", [], False, cf.pwcca),
    ("procrustes", [], True, cf.procrustes),
    ("shape-metric", ["--alpha", "1"], True, lambda x, y: cf.shape_metric(x, y, 1.0)),
    ("permutation-metric", [], True, pf.permutation_metric),
    ("rsa", ["--rdm-distance", "correlation", "--rdm-comparison", "spearman"], True,
     lambda x, y: rf.compare(rf.rdm(x, "correlation"), rf.rdm(y, "correlation"), "spearman")),
    ("mutual-knn", ["--k", str(k)], True, lambda x, y: rf.mutual_knn(x, y, k)),
    ("cycle-knn", ["--k", str(k)], False, lambda x, y: rf.cycle_knn(x, y, k)),
    ("cknna", ["--k", str(k)], False, lambda x, y: rf.cknna(x, y, k)),
]
L = len(layers)
print(f"N={n} L={L} widths={widths} cores={os.cpu_count()} numpy timed {'by width class' if by_width else 'on every pair'}", flush=True)
by_name = {c[0]: c for c in cases}
for name, extra, symmetric, f in [by_name[m] for m in (chosen or by_name)]:  # in the order asked for
    load_before = os.getloadavg()[0]
    r = subprocess.run([os.path.join(out, "cli", "subspace"), "similarity", "--measure", name, *extra, "--layer", *paths],
                       check=True, capture_output=True, text=True)
    ours = json.loads(r.stdout)
    peer = np.full((L, L), np.nan)
    pairs = [(i, j) for i in range(L) for j in range(i if symmetric else 0, L)]
    if by_width:
        classes = {}
        for i, j in pairs:
            classes.setdefault((widths[i], widths[j]), []).append((i, j))
        peer_seconds = 0.0
        for members in classes.values():
            i, j = next(((a, b) for a, b in members if a != b), members[0])  # an off-diagonal pair where there is one
            t = time.perf_counter()
            peer[i, j] = f(layers[i], layers[j])
            peer_seconds += (time.perf_counter() - t) * len(members)
    else:
        t = time.perf_counter()
        for i, j in pairs:
            peer[i, j] = f(layers[i], layers[j])
            if symmetric:
                peer[j, i] = peer[i, j]
        peer_seconds = time.perf_counter() - t
    done = ~np.isnan(peer)
    diff = float(np.max(np.abs(np.array(ours["values"])[done] - peer[done])))
    print(f"{name:19s} ours {ours['seconds']:8.2f} s  numpy loop {peer_seconds:8.2f} s  numpy/ours {peer_seconds / ours['seconds']:6.1f}x  "
          f"max|diff| {diff:.1e}  load {load_before:.1f}-{os.getloadavg()[0]:.1f}", flush=True)
