// One pair step of each kind on libtorch: the dx x dy product M = X^T Y of two centred, normalised N x d layers (a shared
// 20-dimensional signal plus noise), the singular values of M (svdvals, what Procrustes used) against the eigenvalues of its
// smaller Gram matrix (what it uses now), and an SVD with vectors against the eigenpairs of the Gram matrix (PWCCA's
// pair step before and now). Prints seconds and the difference of the two nuclear norms. Usage: PairSteps [N].
using System.Diagnostics;
using static TorchSharp.torch;

int n = args.Length > 0 ? int.Parse(args[0]) : 2000;
manual_seed(0);
var signal = randn(n, 20, dtype: float64);
Tensor Layer(int d)
{
    var x = signal.mm(randn(20, d, dtype: float64)) + 0.5 * randn(n, d, dtype: float64);
    x -= x.mean([0], keepdim: true);
    return x / x.norm();
}
double Seconds(Action action)
{
    var clock = Stopwatch.StartNew();
    action();
    return clock.Elapsed.TotalSeconds;
}
Console.WriteLine($"libtorch threads {get_num_threads()}, N = {n}");
foreach (var (dx, dy) in new (int, int)[] { (2048, 2048), (1024, 1024), (512, 512), (2048, 512) })
{
    using var scope = NewDisposeScope();
    var x = Layer(dx);
    var y = Layer(dy);
    Tensor m = null!, gram = null!;
    double svd = 0, eig = 0;
    double product = Seconds(() => { m = x.t().mm(y); m.sum().item<double>(); });
    double svdvals = Seconds(() => svd = linalg.svdvals(m).sum().item<double>());
    double gramSeconds = Seconds(() => { gram = dx >= dy ? m.t().mm(m) : m.mm(m.t()); gram.sum().item<double>(); });
    double eigvalsh = Seconds(() => eig = linalg.eigvalsh(gram).clamp_min(0).sqrt().sum().item<double>());
    double svdVectors = Seconds(() => { var (_, values, _) = linalg.svd(m, fullMatrices: false); values.sum().item<double>(); });
    double eighVectors = Seconds(() => { var (values, _) = linalg.eigh(gram); values.sum().item<double>(); });
    Console.WriteLine($"{dx} x {dy}: product {product:F3} s | svdvals {svdvals:F3} s, Gram {gramSeconds:F3} s + eigvalsh {eigvalsh:F3} s, |nuclear norm difference| {Math.Abs(svd - eig):E1} | svd with vectors {svdVectors:F3} s, eigh with vectors {eighVectors:F3} s");
}
