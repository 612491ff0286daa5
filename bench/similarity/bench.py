"""Side-by-side timing of every layer-similarity measure: ours (subspace similarity, its "seconds" = compute only)
and the independent NumPy/SciPy implementations of bench/similarity/make_*fixtures.py, on the same pair of
representations (N inputs, a shared 20-dimensional signal plus noise, dx and dy features).

Usage, from the repository root: /usr/bin/python3 bench/similarity/bench.py [N] [DX] [DY] [OUT]
(defaults 2000 1024 512 /tmp/similarity-bench). Builds the CLI in Release first. Prints one line per measure.
"""
import json, os, subprocess, sys, time
import numpy as np
sys.path.insert(0, os.path.dirname(__file__))
import make_fixtures as cf       # noqa: E402  (CCA family, Procrustes, shape metric)
import make_rsa_fixtures as rf   # noqa: E402  (RSA, k-NN alignment)

n, dx, dy = (int(a) for a in (sys.argv[1:4] + ["2000", "1024", "512"][len(sys.argv[1:4]):]))
out = sys.argv[4] if len(sys.argv) > 4 else "/tmp/similarity-bench"
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(1)
z = rng.standard_normal((n, 20))
x = z @ rng.standard_normal((20, dx)) + 0.5 * rng.standard_normal((n, dx))
y = z @ rng.standard_normal((20, dy)) + 0.5 * rng.standard_normal((n, dy))
np.savetxt(os.path.join(out, "x.csv"), x, delimiter=",", fmt="%.17g")
np.savetxt(os.path.join(out, "y.csv"), y, delimiter=",", fmt="%.17g")
subprocess.run(["dotnet", "build", "-c", "Release", "src/MLNet.Subspace.Cli", "-o", os.path.join(out, "cli")], check=True, capture_output=True)

def ours(measure, *extra):
    r = subprocess.run([os.path.join(out, "cli", "subspace"), "similarity", "--x", os.path.join(out, "x.csv"), "--y", os.path.join(out, "y.csv"), "--measure", measure, *extra],
                       check=True, capture_output=True, text=True)
    j = json.loads(r.stdout)
    return j["value"], j["seconds"]

def peer(f):
    t = time.perf_counter()
    v = f()
    return v, time.perf_counter() - t

k = 10
cases = [
    ("cca-r2", [], lambda: float(np.mean(cf.cca(x, y)[0] ** 2))),
    ("svcca", [], lambda: float(np.mean(cf.svcca(x, y, 0.99)))),
    ("pwcca", [], lambda: cf.pwcca(x, y)),
    ("procrustes", [], lambda: cf.procrustes(x, y)),
    ("shape-metric", ["--alpha", "1"], lambda: cf.shape_metric(x, y, 1.0)),
    ("rsa", ["--rdm-distance", "correlation", "--rdm-comparison", "spearman"], lambda: rf.compare(rf.rdm(x, "correlation"), rf.rdm(y, "correlation"), "spearman")),
    ("mutual-knn", ["--k", str(k)], lambda: rf.mutual_knn(x, y, k)),
    ("cknna", ["--k", str(k)], lambda: rf.cknna(x, y, k)),
]
print(f"N={n} dx={dx} dy={dy} load={os.getloadavg()[0]:.1f}")
for name, extra, f in cases:
    ov, os_ = ours(name, *extra)
    pv, ps = peer(f)
    print(f"{name:13s} ours {os_:8.3f} s  peer {ps:8.3f} s  peer/ours {ps / os_:6.1f}x  |diff| {abs(float(ov) - float(pv)):.1e}")
