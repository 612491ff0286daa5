#!/usr/bin/env python3
"""Fixtures for the SSC tests, computed once with the NumPy/sklearn peer (../../../../../shared/peers/reference.py).

Run from this folder:  /usr/bin/python3 make_fixtures.py /work/shared/peers/reference.py
Writes (rows = samples everywhere; C is written TRANSPOSED so that row i = code of sample i, as the C# side stores it):
  uos_X.csv, uos_y.csv          union of 3 subspaces, ambient 6, dim 2, 30 per subspace, noise 0.01, seed 3 (N = 90)
  faithful_Ct.csv, faithful.json   ssc_admm_faithful(X) codes and iteration count
  faithful5_Ct.csv              the same on 5 X (the solver is scale-dependent)
  omp_Ct.csv                     ssc_omp(X, k=4) codes
  metrics.json                   accuracy (Hungarian), NMI, ARI from the peer's scores() on fixed label vectors
"""
import importlib.util, json, sys
import numpy as np

spec = importlib.util.spec_from_file_location("reference", sys.argv[1] if len(sys.argv) > 1 else "/work/shared/peers/reference.py")
ref = importlib.util.module_from_spec(spec); spec.loader.exec_module(ref)

rng = np.random.default_rng(3)
x, y = ref.gen_uos(6, 2, 3, 30, 0.01, rng)
np.savetxt("uos_X.csv", x, delimiter=",", fmt="%.17g")
np.savetxt("uos_y.csv", y, fmt="%d")
X = x.T
C, it = ref.ssc_admm_faithful(X)
np.savetxt("faithful_Ct.csv", C.T, delimiter=",", fmt="%.17g")
# The faithful solver is scale-dependent; at 5x scale its codes are far from zero (a stronger check).
C5, it5 = ref.ssc_admm_faithful(5 * X)
np.savetxt("faithful5_Ct.csv", C5.T, delimiter=",", fmt="%.17g")
C2, _ = ref.ssc_omp(X, 4)
np.savetxt("omp_Ct.csv", C2.T, delimiter=",", fmt="%.17g")

r = np.random.default_rng(7)
cases = []
for n, kt, kp in [(50, 3, 3), (80, 4, 5), (40, 5, 2), (60, 3, 3)]:
    t = r.integers(0, kt, n)
    p = (t + (r.random(n) < 0.3) * r.integers(0, kp, n)) % kp
    s = ref.scores(t, p)
    cases.append({"truth": t.tolist(), "predicted": p.tolist(), **{k: float(v) for k, v in s.items()}})
json.dump({"faithful_iterations": int(it), "faithful5_iterations": int(it5), "cases": cases}, open("metrics.json", "w"), indent=1)
print(json.dumps({"faithful_iterations": int(it), "faithful_nnz": int(np.count_nonzero(C)), "faithful5_iterations": int(it5), "faithful5_nnz": int(np.count_nonzero(C5)), "faithful5_max": float(np.abs(C5).max()), "omp_nnz": int(np.count_nonzero(C2))}))
