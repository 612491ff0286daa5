"""NumPy's side of bench/similarity/PairSteps: the same pair steps (product, SVD values, Gram + eigvalsh) on layers of the
same construction (NumPy's generator, so other numbers), timed in this process; then builds and runs the C# side.
Usage, from the repository root: /usr/bin/python3 bench/similarity/pair_steps.py [N]"""
import subprocess, sys, time
import numpy as np

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
rng = np.random.default_rng(0)
z = rng.standard_normal((n, 20))


def layer(d):
    x = z @ rng.standard_normal((20, d)) + 0.5 * rng.standard_normal((n, d))
    x -= x.mean(0)
    return x / np.linalg.norm(x)


print(f"NumPy, N = {n}")
for dx, dy in [(2048, 2048), (1024, 1024), (512, 512), (2048, 512)]:
    x, y = layer(dx), layer(dy)
    t = time.perf_counter(); m = x.T @ y; product = time.perf_counter() - t
    t = time.perf_counter(); svd = np.linalg.svd(m, compute_uv=False).sum(); svdvals = time.perf_counter() - t
    t = time.perf_counter(); g = m.T @ m if dx >= dy else m @ m.T; gram = time.perf_counter() - t
    t = time.perf_counter(); eig = np.sqrt(np.maximum(np.linalg.eigvalsh(g), 0)).sum(); eigvalsh = time.perf_counter() - t
    print(f"{dx} x {dy}: product {product:.3f} s | svd values {svdvals:.3f} s, Gram {gram:.3f} s + eigvalsh {eigvalsh:.3f} s, "
          f"|nuclear norm difference| {abs(svd - eig):.1e}", flush=True)
subprocess.run(["dotnet", "build", "-c", "Release", "bench/similarity/PairSteps", "-o", "/tmp/pair-steps"], check=True, capture_output=True)
subprocess.run(["/tmp/pair-steps/PairSteps", str(n)], check=True)
