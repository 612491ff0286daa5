#!/usr/bin/env python3
"""Golden values for MLNet.Subspace.Numerics.Similarity.PermutationMetric and its linear assignment solver.

Independent of the C#: netrep's PermutationMetric(center_columns=True, zero_pad=True, score_method="angular")
written out with NumPy, the assignment by scipy.optimize.linear_sum_assignment (maximize=True), and for the smallest
cases checked against brute force over every permutation.

Run: /usr/bin/python3 bench/similarity/make_permutation_fixtures.py   (writes tests/MLNet.Subspace.Tests/Fixtures/similarity-permutation)
"""
import itertools
import os
import numpy as np
from scipy.optimize import linear_sum_assignment

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "MLNet.Subspace.Tests", "Fixtures", "similarity-permutation")


def permutation_metric(x, y):
    """netrep: zero-pad to the same width, centre the columns, lsa(X^T Y, maximize=True), angular distance."""
    d = max(x.shape[1], y.shape[1])
    x = np.hstack([x, np.zeros((x.shape[0], d - x.shape[1]))])
    y = np.hstack([y, np.zeros((y.shape[0], d - y.shape[1]))])
    x, y = x - x.mean(axis=0), y - y.mean(axis=0)
    px, py = linear_sum_assignment(x.T @ y, maximize=True)
    tx, ty = x[:, px], y[:, py]
    corr = np.sum(tx * ty) / (np.linalg.norm(tx) * np.linalg.norm(ty))
    return float(np.arccos(np.clip(corr, -1, 1)))


def brute_force(x, y):
    d = max(x.shape[1], y.shape[1])
    x = np.hstack([x, np.zeros((x.shape[0], d - x.shape[1]))])
    y = np.hstack([y, np.zeros((y.shape[0], d - y.shape[1]))])
    x, y = x - x.mean(axis=0), y - y.mean(axis=0)
    c = x.T @ y
    best = max(sum(c[i, p[i]] for i in range(d)) for p in itertools.permutations(range(d)))
    return float(np.arccos(np.clip(best / (np.linalg.norm(x) * np.linalg.norm(y)), -1, 1)))


def save(name, m):
    np.savetxt(os.path.join(OUT, name), np.atleast_2d(m), delimiter=",", fmt="%.17g")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(314)
    cases = {}
    x = rng.randn(30, 6)
    cases["square"] = (x, 2.0 * x[:, rng.permutation(6)] + 0.6 * rng.randn(30, 6))
    x = rng.randn(25, 4)
    cases["wide_y"] = (x, np.hstack([x[:, ::-1], rng.randn(25, 3)]) + 0.3 * rng.randn(25, 7))
    x = rng.randn(8, 12)
    cases["d_over_n"] = (x, x[:, :10] @ rng.randn(10, 10) + rng.randn(8, 10))
    x = rng.randn(12, 5)
    cases["small"] = (x, np.tanh(x @ rng.randn(5, 5)))
    lines = []
    for name, (x, y) in cases.items():
        save(f"x_{name}.csv", x)
        save(f"y_{name}.csv", y)
        value = permutation_metric(x, y)
        if max(x.shape[1], y.shape[1]) <= 7:
            assert abs(value - brute_force(x, y)) < 1e-12, name
        lines.append((f"permutation_{name}", value))
    # The solver alone: the optimal total of minimum-cost assignments (rows <= columns), SciPy against brute force.
    for name, (n, m) in {"lap_square": (7, 7), "lap_rect": (5, 9), "lap_ties": (6, 6)}.items():
        cost = rng.randint(0, 4, size=(n, m)).astype(float) if name == "lap_ties" else rng.randn(n, m)
        save(f"{name}.csv", cost)
        r, c = linear_sum_assignment(cost)
        total = float(cost[r, c].sum())
        brute = min(sum(cost[i, p[i]] for i in range(n)) for p in itertools.permutations(range(m), n))
        assert abs(total - brute) < 1e-12, name
        lines.append((name, total))
    with open(os.path.join(OUT, "expected.csv"), "w") as f:
        f.write("name,value\n")
        for name, value in lines:
            f.write(f"{name},{value:.17g}\n")
    for name, value in lines:
        print(f"{name:28s} {value:.15f}")


if __name__ == "__main__":
    main()
