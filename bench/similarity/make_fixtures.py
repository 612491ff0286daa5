"""Golden values for the CCA family, Procrustes and netrep's shape metric.

Written from the papers, in the covariance form, independently of the C# code (which works from
SVD bases): run with /usr/bin/python3 (NumPy only) from the repository root; writes
tests/MLNet.Subspace.Tests/Fixtures/similarity/{x,y}_<case>.csv and golden.csv.

References: Hotelling 1936 (CCA); Raghu et al. 2017 (SVCCA); Morcos et al. 2018 (PWCCA, weights
alpha_i = sum_j |<h_i, x_j>| with h_i the canonical variates of the layer with fewer directions);
Williams et al. 2021 / netrep's LinearMetric (partial whitening, angular distance).
"""
import os
import numpy as np

OUT = os.path.join("tests", "MLNet.Subspace.Tests", "Fixtures", "similarity")
EPS = np.finfo(np.float64).eps


def centre(a):
    return a - a.mean(axis=0, keepdims=True)


def inv_sqrt_psd(c, ridge, tol):
    """(C + ridge I)^(-1/2) on the eigen-directions above tol (pseudo-inverse square root)."""
    lam, v = np.linalg.eigh(c)
    lam = lam + ridge
    keep = lam > tol
    return (v[:, keep] / np.sqrt(lam[keep])) @ v[:, keep].T, int(keep.sum())


def rank_tol(a):
    s = np.linalg.svd(a, compute_uv=False)
    return s.max() * max(a.shape) * EPS, s


def cca(x, y, ridge=0.0):
    """Canonical correlations from Sxx^-1/2 Sxy Syy^-1/2 (descending), plus what PWCCA needs."""
    xc, yc = centre(x), centre(y)
    tx, sx = rank_tol(xc)
    ty, sy = rank_tol(yc)
    rx = int((sx > tx).sum())
    ry = int((sy > ty).sum())
    # Eigenvalues of X^T X are squared singular values: the same numerical-rank threshold, squared.
    wx, _ = inv_sqrt_psd(xc.T @ xc, ridge, 0.0 if ridge > 0 else tx * tx + sx.max() ** 2 * 1e-13)
    wy, _ = inv_sqrt_psd(yc.T @ yc, ridge, 0.0 if ridge > 0 else ty * ty + sy.max() ** 2 * 1e-13)
    t = wx @ (xc.T @ yc) @ wy
    a, rho, bt = np.linalg.svd(t, full_matrices=False)
    k = min(rx, ry)
    return rho[:k], a[:, :k], bt[:k].T, wx, wy, xc, yc, rx, ry


def svcca(x, y, keep):
    def reduce(a):
        ac = centre(a)
        u, s, _ = np.linalg.svd(ac, full_matrices=False)
        tol = s.max() * max(a.shape) * EPS
        r = int((s > tol).sum())
        share = np.cumsum(s[:r] ** 2) / np.sum(s[:r] ** 2)
        k = r if keep >= 1.0 else int(np.searchsorted(share, keep) + 1)
        return u[:, :k] * s[:k]
    rho = cca(reduce(x), reduce(y))[0]
    return rho.mean()


def pwcca(x, y):
    rho, a, b, wx, wy, xc, yc, rx, ry = cca(x, y)
    if rx <= ry:
        h, acts = xc @ (wx @ a), xc
    else:
        h, acts = yc @ (wy @ b), yc
    p, _ = np.linalg.qr(h)
    alpha = np.abs(p.T @ acts).sum(axis=1)
    alpha = alpha / alpha.sum()
    return float((alpha * rho).sum())


def procrustes(x, y):
    xc, yc = centre(x), centre(y)
    xc, yc = xc / np.linalg.norm(xc), yc / np.linalg.norm(yc)
    nuc = np.linalg.svd(xc.T @ yc, compute_uv=False).sum()
    return np.linalg.norm(xc) ** 2 + np.linalg.norm(yc) ** 2 - 2 * nuc


def netrep_whiten(x, alpha, eigval_tol=1e-7):
    if alpha > 1 - eigval_tol:
        return x
    lam, v = np.linalg.eigh(x.T @ x)
    lam = np.maximum(lam, eigval_tol)
    d = alpha + (1 - alpha) * lam ** -0.5
    new_var = np.sum(alpha ** 2 * lam + 2 * alpha * (1 - alpha) * lam ** 0.5 + (1 - alpha) ** 2)
    d *= np.sqrt(np.sum(lam) / new_var)
    return x @ ((v * d[None, :]) @ v.T)


def shape_metric(x, y, alpha):
    """netrep LinearMetric(alpha, center_columns=True, zero_pad=True, score_method='angular')."""
    d = max(x.shape[1], y.shape[1])
    x = np.hstack([x, np.zeros((x.shape[0], d - x.shape[1]))])
    y = np.hstack([y, np.zeros((y.shape[0], d - y.shape[1]))])
    xw, yw = netrep_whiten(centre(x), alpha), netrep_whiten(centre(y), alpha)
    u, _, vt = np.linalg.svd(xw.T @ yw)
    tx, ty = xw @ u, yw @ vt.T
    corr = np.dot(tx.ravel(), ty.ravel()) / (np.linalg.norm(tx) * np.linalg.norm(ty))
    return float(np.arccos(np.clip(corr, -1, 1)))


def cases():
    rng = np.random.RandomState(2024)
    x = rng.randn(50, 8)
    y = x[:, :6] @ rng.randn(6, 6) + 0.8 * rng.randn(50, 6)
    yield "a", x, y, [1.0]
    x = rng.randn(20, 30)
    y = x[:, :25] + 0.5 * rng.randn(20, 25)
    yield "b", x, y, [1.0, 10.0]
    base = rng.randn(40, 5)
    x = np.hstack([base, base[:, :1] * 2.0, np.full((40, 1), 3.0)])
    y = base[:, 1:] @ rng.randn(4, 4) + 0.3 * rng.randn(40, 4)
    yield "c", x, y, [0.5]


def main():
    os.makedirs(OUT, exist_ok=True)
    rows = ["case,measure,parameter,value"]
    for name, x, y, ridges in cases():
        np.savetxt(os.path.join(OUT, f"x_{name}.csv"), x, delimiter=",", fmt="%.17g")
        np.savetxt(os.path.join(OUT, f"y_{name}.csv"), y, delimiter=",", fmt="%.17g")
        rho = cca(x, y)[0]
        rows.append(f"{name},cca_r2,0,{np.mean(rho ** 2):.17g}")
        rows.append(f"{name},cca_mean,0,{np.mean(rho):.17g}")
        for lam in ridges:
            rr = cca(x, y, lam)[0]
            rows.append(f"{name},cca_r2,{lam:g},{np.mean(rr ** 2):.17g}")
            rows.append(f"{name},cca_mean,{lam:g},{np.mean(rr):.17g}")
        for keep in (0.5, 0.9, 0.99, 1.0):
            rows.append(f"{name},svcca_mean,{keep:g},{svcca(x, y, keep):.17g}")
        rows.append(f"{name},pwcca,0,{pwcca(x, y):.17g}")
        rows.append(f"{name},procrustes,0,{procrustes(x, y):.17g}")
        if name != "b":  # netrep clips null eigenvalues at 1e-7, which is not a rank rule; d > N is left out
            for alpha in (0.0, 0.25, 0.5, 1.0):
                rows.append(f"{name},shape_angular,{alpha:g},{shape_metric(x, y, alpha):.17g}")
    with open(os.path.join(OUT, "golden.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
