using CsCheck;
using MLNet.Subspace.Numerics.Similarity;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.Numerics.Similarity;

/// <summary>Identities RSA must meet, on random shapes and data (CsCheck; torch data from a generated seed).</summary>
public class RsaPropertyTests
{
    private const long Iterations = 30;

    /// <summary>(n, dx, dy, seed) with n in [5, 40], d in [2, 10].</summary>
    private static readonly Gen<(int N, int Dx, int Dy, int Seed)> Shapes =
        Gen.Select(Gen.Int[5, 40], Gen.Int[2, 10], Gen.Int[2, 10], Gen.Int[0, 1_000_000], (n, dx, dy, s) => (n, dx, dy, s));

    private static (Tensor X, Tensor Y, Generator G) Data((int N, int Dx, int Dy, int Seed) s)
    {
        var g = new torch.Generator((ulong)s.Seed);
        var x = randn(s.N, s.Dx, float64, generator: g);
        var y = x.mm(randn(s.Dx, s.Dy, float64, generator: g)) + randn(s.N, s.Dy, float64, generator: g);
        return (x, y, g);
    }

    /// <summary>A random d x d orthogonal matrix (Q of a QR factorisation).</summary>
    internal static Tensor Rotation(long d, Generator g) => linalg.qr(randn(d, d, float64, generator: g)).Q;

    [Fact]
    public void Rsa_Of_X_With_A_Rotated_X_Is_One_For_Euclidean_And_Cosine()
    {
        Shapes.Sample(s =>
        {
            using var scope = NewDisposeScope();
            var (x, _, g) = Data(s);
            var rotated = x.mm(Rotation(s.Dx, g));
            foreach (var distance in new[] { RdmDistance.Euclidean, RdmDistance.Cosine })
                foreach (var comparison in new[] { RdmComparison.Pearson, RdmComparison.Cosine })
                    Assert.Equal(1.0, Rsa.Compute(x, rotated, distance, comparison), 10);
            // The rotated RDM equals the original to rounding, so every pair keeps its order unless two
            // dissimilarities agree to rounding; with continuous data the rank measures are 1 as well.
            var rdm = Rsa.Rdm(x, RdmDistance.Euclidean);
            Assert.True((rdm - Rsa.Rdm(rotated, RdmDistance.Euclidean)).abs().max().item<double>() < 1e-10);
            Assert.Equal(1.0, Rsa.Compare(rdm, rdm, RdmComparison.Spearman), 12);
            Assert.Equal(1.0, Rsa.Compare(rdm, rdm, RdmComparison.KendallTauA), 12);
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Every_Comparison_Is_Symmetric_And_Lies_In_Minus_One_To_One()
    {
        Shapes.Sample(s =>
        {
            using var scope = NewDisposeScope();
            var (x, y, _) = Data(s);
            foreach (var distance in Enum.GetValues<RdmDistance>())
            {
                var rx = Rsa.Rdm(x, distance);
                var ry = Rsa.Rdm(y, distance);
                foreach (var comparison in Enum.GetValues<RdmComparison>())
                {
                    double xy = Rsa.Compare(rx, ry, comparison), yx = Rsa.Compare(ry, rx, comparison);
                    Assert.Equal(xy, yx, 12);
                    Assert.InRange(xy, -1 - 1e-12, 1 + 1e-12);
                }
            }
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Kendall_Tau_A_By_Merge_Sort_Equals_The_Brute_Force_Count_With_Ties()
    {
        // Values from a small set, so ties in a, in b and in both occur often.
        Gen.Select(Gen.Int[0, 4].Array[2, 60], Gen.Int[0, 1_000_000]).Sample((a, seed) =>
        {
            var random = new Random(seed);
            double[] x = a.Select(v => (double)v).ToArray();
            double[] y = a.Select(_ => (double)random.Next(4)).ToArray();
            long sum = 0;
            for (int i = 0; i < x.Length; i++)
                for (int j = i + 1; j < x.Length; j++)
                    sum += Math.Sign(x[i] - x[j]) * Math.Sign(y[i] - y[j]);
            double expected = sum / (x.Length * (x.Length - 1) / 2.0);
            Assert.Equal(expected, Rsa.KendallTauA(x, y), 14);
        }, iter: 200, threads: 1);
    }
}
