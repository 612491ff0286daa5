"""Peer of `subspace bench-spectral`: scikit-learn's spectral clustering of the same graph (i,j,w triplets).

sklearn-arpack / sklearn-lobpcg: sklearn.cluster.spectral_clustering on the CSR graph (eigen_solver="arpack" is
shift-invert on the normalised Laplacian, a sparse LU; "lobpcg" is preconditioner-free LOBPCG), k-means n_init=20 as ours.
eigsh: our algorithm in SciPy (scipy.sparse.linalg.eigsh, which="LA", on M = D^-1/2 W D^-1/2, rows normalised, then
sklearn's k_means n_init=20). dense (--dense): reference.py's spectral() (scipy.linalg.eigh on the dense normalised Laplacian),
the peer's own route, only where N x N float64 fits (N = 10,000: 800 MB, minutes).
Prints one JSON object.
"""
import argparse, json, resource, sys, time
import numpy as np
import scipy.sparse as sp
from sklearn.cluster import spectral_clustering
from sklearn.metrics import adjusted_rand_score

p = argparse.ArgumentParser()
p.add_argument("folder"); p.add_argument("--seed", type=int, default=0); p.add_argument("--dense", action="store_true")
p.add_argument("--solvers", default="eigsh,sklearn-lobpcg,sklearn-arpack")
a = p.parse_args()
t = np.loadtxt(f"{a.folder}/graph.csv", delimiter=",")
y = np.loadtxt(f"{a.folder}/labels.csv", dtype=int)
n = len(y)
W = sp.csr_matrix((t[:, 2], (t[:, 0].astype(int), t[:, 1].astype(int))), shape=(n, n))
out = {"n": n, "nnz": int(W.nnz)}
for solver in a.solvers.split(","):
    s = time.perf_counter()
    if solver == "eigsh":
        from scipy.sparse.linalg import eigsh
        from sklearn.cluster import k_means
        d = np.asarray(W.sum(1)).ravel()
        inv = np.where(d > 0, 1 / np.sqrt(np.maximum(d, 1e-300)), 0)
        M = sp.diags(inv) @ W @ sp.diags(inv)
        _, v = eigsh(M, 10, which="LA", v0=np.random.default_rng(a.seed).uniform(-0.5, 0.5, n))
        v /= np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
        labels = k_means(v, 10, n_init=20, random_state=a.seed)[1]
    else:
        labels = spectral_clustering(W, n_clusters=10, eigen_solver=solver.split("-")[1], random_state=a.seed, n_init=20, assign_labels="kmeans")
    out[f"{solver}_seconds"] = time.perf_counter() - s
    out[f"{solver}_ari"] = adjusted_rand_score(y, labels)
if a.dense:
    sys.path.insert(0, "/work/shared/peers")
    from reference import spectral
    s = time.perf_counter()
    dense_labels = spectral(W.toarray(), 10, seed=a.seed)
    out["reference_dense_seconds"] = time.perf_counter() - s
    out["reference_dense_ari"] = adjusted_rand_score(y, dense_labels)
out["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps(out))
