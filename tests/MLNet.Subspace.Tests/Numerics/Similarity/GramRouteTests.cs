using MLNet.Subspace.Numerics.Similarity;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.Numerics.Similarity;

/// <summary>
/// The eigenvalue routes that replaced libtorch's SVD in the pair steps equal the SVD route on small cases: the nuclear norm
/// from the smaller Gram matrix's eigenvalues (Procrustes, the shape metric), Procrustes' N - 1 row layers (the centring
/// direction dropped, d &gt;= N cut by a QR), and PWCCA's correlations and weights from a symmetric eigenproblem.
/// </summary>
public class GramRouteTests
{
    private static Tensor Random(long n, long d, ulong seed) => randn(n, d, float64, generator: new TorchSharp.torch.Generator(seed));

    private static Tensor Centred(Tensor x) => x - x.mean([0], keepdim: true);

    [Theory]
    [InlineData(50, 8, 6)]
    [InlineData(40, 3, 12)]
    [InlineData(20, 30, 25)]
    [InlineData(12, 40, 40)]
    [InlineData(2, 5, 3)]
    public void The_Nuclear_Norm_From_Gram_Eigenvalues_Equals_The_Svd_One(int n, int dx, int dy)
    {
        using var scope = NewDisposeScope();
        var x = Random(n, dx, 1);
        var y = Random(n, dx, 2)[.., ..Math.Min(dx, dy)].mm(Random(Math.Min(dx, dy), dy, 3)) + Random(n, dy, 4);
        var (xc, yc) = (Centred(x), Centred(y));
        double svd = linalg.svdvals(xc.t().mm(yc)).sum().item<double>() / (xc.norm().item<double>() * yc.norm().item<double>());
        var px = Procrustes.Prepare(x, "X");
        var py = Procrustes.Prepare(y, "Y");
        Assert.Equal(n - 1, px.Basis.shape[0]);
        Assert.Equal(Math.Min(dx, n - 1), px.Basis.shape[1]);
        Assert.Equal(svd, Cca.PairNuclearNorm(px, py), 1e-12);
        Assert.Equal(1.0, Procrustes.PairNuclearNorm(px, px), 1e-12);
    }

    [Theory]
    [InlineData(40, 6, 9)]      // one block
    [InlineData(1100, 5, 1300)] // three uneven blocks (366, 367, 367 rows), a layer wider than N
    [InlineData(3001, 4, 7)]    // the most blocks, 500 or 501 rows
    public void Linear_Cka_From_The_Gram_Blocks_On_And_Below_The_Diagonal_Equals_The_Full_Gram_Route(int n, int dx, int dy)
    {
        using var scope = NewDisposeScope();
        var x = Random(n, dx, 7);
        var y = x[.., ..Math.Min(dx, dy)].mm(Random(Math.Min(dx, dy), dy, 8)) + 0.5 * Random(n, dy, 9);
        var (kx, ky) = (Centred(x).mm(Centred(x).t()), Centred(y).mm(Centred(y).t()));
        double full = (kx * ky).sum().item<double>() / Math.Sqrt((kx * kx).sum().item<double>() * (ky * ky).sum().item<double>());
        using var px = CentredGram.Prepare(x, "X");
        using var py = CentredGram.Prepare(y, "Y");
        Assert.Equal(full, CentredGram.Compare(px, py), 1e-12);
        Assert.Equal(1.0, CentredGram.Compare(px, px), 1e-12);
        Assert.Equal((kx * kx).sum().item<double>(), px.Self, 1e-12 * px.Self);
        long blocks = CentredGram.RowBlocks(n);
        Assert.Equal(n < 500 ? 1 : n < 2000 ? 3 : 6, blocks);
        Assert.InRange(CentredGram.PackedValues(n), (long)n * n / 2, (long)n * n * (blocks + 1) / (2 * blocks) + n); // (T + 1) / 2T of N^2
    }

    [Theory]
    [InlineData(30, 7)]
    [InlineData(10, 25)]
    public void Dropping_The_Centring_Direction_Keeps_Every_Inner_Product(int n, int d)
    {
        using var scope = NewDisposeScope();
        var xc = Centred(Random(n, d, 5));
        var yc = Centred(Random(n, 4, 6));
        var xr = Procrustes.WithoutMeanDirection(xc);
        var yr = Procrustes.WithoutMeanDirection(yc);
        Assert.Equal(n - 1, xr.shape[0]);
        double difference = (xr.t().mm(yr) - xc.t().mm(yc)).abs().max().item<double>();
        Assert.InRange(difference, 0, 1e-12 * xc.norm().item<double>() * yc.norm().item<double>());
        // A column that is not centred would keep a component along the all-ones vector: the test can tell.
        var shifted = Procrustes.WithoutMeanDirection(xc + 1.0);
        Assert.True((shifted.t().mm(shifted) - (xc + 1.0).t().mm(xc + 1.0)).abs().max().item<double>() > 1.0);
    }

    [Theory]
    [InlineData(60, 6, 9)]
    [InlineData(60, 9, 6)]
    [InlineData(25, 10, 10)]
    public void Pwccas_Eigen_Route_Equals_The_Svd_Route(int n, int dx, int dy)
    {
        using var scope = NewDisposeScope();
        var x = Random(n, dx, 7);
        var y = x[.., ..Math.Min(dx, dy)].mm(Random(Math.Min(dx, dy), dy, 8)) + 0.7 * Random(n, dy, 9);
        // The SVD route as it was: the singular vectors of U_x^T U_y on the side with fewer directions.
        var bx = Pwcca.Prepare(x, "X");
        var by = Pwcca.Prepare(y, "Y");
        var (a, s, bh) = linalg.svd(bx.Basis.t().mm(by.Basis), fullMatrices: false);
        int k = Math.Min(bx.Count, by.Count);
        var (dirs, basis) = bx.Count <= by.Count ? (a[.., ..k], bx) : (bh[..k, ..].t(), by);
        var alpha = dirs.t().mm(basis.Loadings!).abs().sum(1);
        var weights = (alpha / alpha.sum()).data<double>().ToArray();
        var rho = s.data<double>().Take(k).ToArray();
        double expected = weights.Zip(rho, (w, r) => w * r).Sum();
        Assert.Equal(expected, Pwcca.Pair(bx, by), 1e-12);
        var eigenWeights = Pwcca.Weights(x, y);
        Assert.Equal(k, eigenWeights.Length);
        for (int i = 0; i < k; i++) Assert.Equal(weights[i], eigenWeights[i], 1e-10);
    }
}
