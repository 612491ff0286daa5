#!/usr/bin/env python3
"""Golden values for MLNet.Subspace.Numerics.Similarity.Rsa and NearestNeighbourAlignment.

An independent NumPy/SciPy implementation written from the definitions (rsatoolbox's RDM and comparison
conventions; the platonic-representation paper's metrics.py for the k-NN measures), not a port of the C#:
RDMs come from scipy.spatial.distance.pdist (pairwise, no Gram matrix), Spearman and Pearson from
scipy.stats, Kendall's tau-a from a brute-force double loop over all pairs of dissimilarities, the k-NN
measures from Python sets and loops and the reference's full-matrix unbiased HSIC.

Run: /usr/bin/python3 bench/similarity/make_rsa_fixtures.py   (writes tests/MLNet.Subspace.Tests/Fixtures/similarity-rsa)
"""
import os
import numpy as np
from scipy.spatial.distance import pdist, squareform
from scipy.stats import spearmanr, pearsonr, kendalltau

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "MLNet.Subspace.Tests", "Fixtures", "similarity-rsa")


def rdm(x, method):
    d = x.shape[1]
    if method == "euclidean":  # rsatoolbox: squared euclidean distance / number of features
        return squareform(pdist(x, "sqeuclidean") / d)
    if method == "correlation":  # 1 - Pearson r of the rows
        return squareform(pdist(x, "correlation"))
    if method == "cosine":
        return squareform(pdist(x, "cosine"))
    raise ValueError(method)


def upper(m):
    return m[np.triu_indices(m.shape[0], 1)]


def tau_a(a, b):
    m = len(a)
    s = 0.0
    for i in range(m):
        s += np.sum(np.sign(a[i] - a[i + 1:]) * np.sign(b[i] - b[i + 1:]))
    return s / (m * (m - 1) / 2)


def compare(a, b, method):
    a, b = upper(a), upper(b)
    if method == "spearman":
        return spearmanr(a, b).correlation  # average ranks for ties
    if method == "pearson":
        return pearsonr(a, b)[0]
    if method == "kendall_tau_a":
        return tau_a(a, b)
    if method == "cosine":
        return float(a @ b / np.sqrt((a @ a) * (b @ b)))
    raise ValueError(method)


def neighbours(x, k):
    """The reference's compute_nearest_neighbors: inner products, diagonal -1e8, descending; ties by lower index."""
    g = x @ x.T
    np.fill_diagonal(g, -1e8)
    return np.argsort(-g, axis=1, kind="stable")[:, :k]


def mutual_knn(x, y, k):
    a, b = neighbours(x, k), neighbours(y, k)
    return float(np.mean([len(set(a[i]) & set(b[i])) / k for i in range(len(x))]))


def cycle_knn(x, y, k):
    a, b = neighbours(x, k), neighbours(y, k)
    return float(np.mean([any(i in a[j] for j in b[i]) for i in range(len(x))]))


def hsic_unbiased(K, L):
    m = K.shape[0]
    Kt, Lt = K.copy(), L.copy()
    np.fill_diagonal(Kt, 0)
    np.fill_diagonal(Lt, 0)
    v = np.sum(Kt * Lt.T) + np.sum(Kt) * np.sum(Lt) / ((m - 1) * (m - 2)) - 2 * np.sum(Kt @ Lt) / (m - 2)
    return v / (m * (m - 3))


def cknna(x, y, k):
    n = x.shape[0]
    K, L = x @ x.T, y @ y.T

    def mask_of(G):
        Gh = G.copy()
        np.fill_diagonal(Gh, -np.inf)
        idx = np.argsort(-Gh, axis=1, kind="stable")[:, :k]
        M = np.zeros((n, n))
        M[np.arange(n)[:, None], idx] = 1.0
        return M

    def sim(A, B):
        mask = mask_of(A) * mask_of(B)
        return hsic_unbiased(mask * A, mask * B)

    return sim(K, L) / (np.sqrt(sim(K, K) * sim(L, L)) + 1e-6)


def save(name, m):
    np.savetxt(os.path.join(OUT, name), np.atleast_2d(m), delimiter=",", fmt="%.17g")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(2026)
    x = rng.randn(40, 7)
    y = np.tanh(x @ rng.randn(7, 12)) + 0.5 * rng.randn(40, 12)
    xt = rng.randint(0, 3, size=(15, 3)).astype(float)  # small integers: many tied dissimilarities
    yt = rng.randint(0, 3, size=(15, 4)).astype(float)
    save("X.csv", x)
    save("Y.csv", y)
    save("Xt.csv", xt)
    save("Yt.csv", yt)
    lines = []
    for dist in ("euclidean", "correlation", "cosine"):
        rx, ry = rdm(x, dist), rdm(y, dist)
        save(f"rdm_{dist}_X.csv", rx)
        for cmp in ("spearman", "pearson", "kendall_tau_a", "cosine"):
            lines.append((f"rsa_{dist}_{cmp}", compare(rx, ry, cmp)))
    # Ties: tau-a differs from SciPy's tau-b here, Spearman uses average ranks.
    rxt, ryt = rdm(xt, "euclidean"), rdm(yt, "euclidean")
    for cmp in ("spearman", "pearson", "kendall_tau_a", "cosine"):
        lines.append((f"ties_euclidean_{cmp}", compare(rxt, ryt, cmp)))
    # Sanity of the brute-force tau-a: equal to SciPy's tau-b when there are no ties.
    a, b = upper(rdm(x, "correlation")), upper(rdm(y, "correlation"))
    assert abs(tau_a(a, b) - kendalltau(a, b).correlation) < 1e-12
    for k in (1, 5, 10):
        lines.append((f"mutual_knn_{k}", mutual_knn(x, y, k)))
        lines.append((f"cycle_knn_xy_{k}", cycle_knn(x, y, k)))
        lines.append((f"cycle_knn_yx_{k}", cycle_knn(y, x, k)))
    for k in (2, 5, 10, 39):
        lines.append((f"cknna_{k}", cknna(x, y, k)))
    with open(os.path.join(OUT, "expected.csv"), "w") as f:
        f.write("measure,value\n")
        for name, value in lines:
            f.write(f"{name},{float(value):.17g}\n")
    for name, value in lines:
        print(f"{name:32s} {value:.12f}")


if __name__ == "__main__":
    main()
