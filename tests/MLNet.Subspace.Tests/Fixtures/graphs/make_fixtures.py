"""Random weighted graphs with networkx's modularity and Louvain Q, for MLNet.Subspace's graph tests.
Run from this folder: /usr/bin/python3 make_fixtures.py   (numpy legacy RNG, networkx 2.8.8)."""
import numpy as np, networkx as nx

np.random.seed(2024)
rows = ["name,n,modularity,louvain_modularity,louvain_communities,self_loops"]
cases = [(30, 3, 0.3, 0.05, False), (60, 4, 0.25, 0.03, False), (90, 5, 0.2, 0.02, True),
         (120, 3, 0.15, 0.05, False), (150, 6, 0.2, 0.02, False), (200, 8, 0.15, 0.01, True),
         (80, 2, 0.1, 0.1, False), (100, 4, 0.08, 0.06, False)]
for t, (n, k, p_in, p_out, loops) in enumerate(cases):
    planted = np.random.randint(0, k, n)
    same = planted[:, None] == planted[None, :]
    mask = np.random.rand(n, n) < np.where(same, p_in, p_out)
    W = np.triu(mask * np.random.exponential(1.0, (n, n)), 1)
    W = W + W.T
    if loops:
        W[np.diag_indices(n)] = (np.random.rand(n) < 0.2) * np.random.rand(n)
    # labels: the planted partition with 20 % of the nodes relabelled at random (so Q is not maximal)
    y = planted.copy()
    flip = np.random.rand(n) < 0.2
    y[flip] = np.random.randint(0, k, flip.sum())
    G = nx.from_numpy_array(W)
    parts = [set(np.flatnonzero(y == c).tolist()) for c in np.unique(y)]
    q = nx.community.modularity(G, parts, weight="weight")
    comms = nx.community.louvain_communities(G, weight="weight", seed=0)
    lq = nx.community.modularity(G, comms, weight="weight")
    name = f"g{t}"
    np.savetxt(f"{name}_W.csv", W, delimiter=",", fmt="%.17g")
    np.savetxt(f"{name}_y.csv", y, fmt="%d")
    rows.append(f"{name},{n},{q!r},{lq!r},{len(comms)},{int(loops)}")
open("expected.csv", "w").write("\n".join(rows) + "\n")
print("\n".join(rows))
