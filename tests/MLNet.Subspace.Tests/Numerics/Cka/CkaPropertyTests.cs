using CsCheck;
using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Cka;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.Numerics.Cka;

/// <summary>Identities every CKA must meet, on random shapes and data (CsCheck; torch data from a generated seed).</summary>
public class CkaPropertyTests
{
    private const long Iterations = 40;

    /// <summary>(n, dx, dy, seed) with n in [8, 60], d in [1, 12].</summary>
    private static readonly Gen<(int N, int Dx, int Dy, int Seed)> Shapes =
        Gen.Select(Gen.Int[8, 60], Gen.Int[1, 12], Gen.Int[1, 12], Gen.Int[0, 1_000_000], (n, dx, dy, s) => (n, dx, dy, s));

    private static (Tensor X, Tensor Y) Data((int N, int Dx, int Dy, int Seed) s)
    {
        var g = new torch.Generator((ulong)s.Seed);
        var x = randn(s.N, s.Dx, float64, generator: g);
        // Y shares a random linear part of X so values are spread over [0, 1].
        var y = x.mm(randn(s.Dx, s.Dy, float64, generator: g)) + randn(s.N, s.Dy, float64, generator: g);
        return (x, y);
    }

    [Fact]
    public void Cka_Of_A_Representation_With_Itself_Is_One()
    {
        Shapes.Sample(s =>
        {
            using var scope = NewDisposeScope();
            var (x, _) = Data(s);
            Assert.Equal(1.0, CkaMath.Compute(x, x), 10);
            Assert.Equal(1.0, CkaMath.Compute(x, x, CkaKernel.Rbf), 10);
            Assert.Equal(1.0, CkaMath.Compute(x, x, debiased: true), 10);
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Cka_Is_Symmetric_And_Biased_Linear_Lies_In_Unit_Interval()
    {
        Shapes.Sample(s =>
        {
            using var scope = NewDisposeScope();
            var (x, y) = Data(s);
            double xy = CkaMath.Compute(x, y), yx = CkaMath.Compute(y, x);
            Assert.Equal(xy, yx, 12);
            Assert.InRange(xy, 0.0, 1.0 + 1e-12);
            Assert.Equal(CkaMath.Compute(x, y, CkaKernel.Rbf, 0.7), CkaMath.Compute(y, x, CkaKernel.Rbf, 0.7), 12);
            Assert.Equal(CkaMath.Compute(x, y, debiased: true), CkaMath.Compute(y, x, debiased: true), 12);
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Cka_Is_Invariant_To_Orthogonal_Maps_And_Isotropic_Scaling()
    {
        Gen.Select(Shapes, Gen.Double[0.01, 100]).Sample((s, scale) =>
        {
            using var scope = NewDisposeScope();
            var (x, y) = Data(s);
            var q = linalg.qr(randn(s.Dx, s.Dx, float64, generator: new torch.Generator((ulong)s.Seed + 1))).Q;
            var mapped = x.mm(q) * scale;
            Assert.Equal(CkaMath.Compute(x, y), CkaMath.Compute(mapped, y), 9);
            Assert.Equal(CkaMath.Compute(x, y, debiased: true), CkaMath.Compute(mapped, y, debiased: true), 9);
            Assert.Equal(CkaMath.Compute(x, y, CkaKernel.Rbf), CkaMath.Compute(mapped, y, CkaKernel.Rbf), 9);
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Gram_And_Feature_Routes_Agree_Biased_And_Debiased()
    {
        Shapes.Sample(s =>
        {
            using var scope = NewDisposeScope();
            var (x, y) = Data(s);
            foreach (bool debiased in new[] { false, true })
            {
                double feature = CkaMath.FeatureSpaceLinearCka(x, y, debiased);
                double gram = CkaMath.Cka(CkaMath.GramLinear(x), CkaMath.GramLinear(y), debiased);
                Assert.Equal(gram, feature, 9);
            }
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Sparse_Ssc_Cka_Equals_Dense_Route()
    {
        Gen.Select(Gen.Int[6, 80], Gen.Double[0.02, 0.5], Gen.Int[0, 1_000_000]).Sample((n, density, seed) =>
        {
            using var scope = NewDisposeScope();
            var a = RandomGraphs.Symmetric(n, density, seed, loops: seed % 3 == 0);
            var b = RandomGraphs.Symmetric(n, density, seed + 7, loops: false);
            if (a.NonZeroCount == 0 || b.NonZeroCount == 0) return;
            foreach (bool debiased in new[] { false, true })
            {
                double dense, sparse;
                try { dense = GraphCka.Cka(a.ToDenseTensor(), b.ToDenseTensor(), debiased); }
                catch (DegenerateCkaException) { Assert.Throws<DegenerateCkaException>(() => GraphCka.Cka(a, b, debiased)); continue; }
                sparse = GraphCka.Cka(a, b, debiased);
                Assert.Equal(dense, sparse, 10);
            }
        }, iter: Iterations, threads: 1);
    }
}

/// <summary>Random sparse symmetric non-negative graphs for tests.</summary>
internal static class RandomGraphs
{
    public static SparseMatrix Symmetric(int n, double density, int seed, bool loops = false)
    {
        var rng = new Random(seed);
        var rows = new List<int>(); var cols = new List<int>(); var vals = new List<double>();
        for (int i = 0; i < n; i++)
            for (int j = loops ? i : i + 1; j < n; j++)
            {
                if (rng.NextDouble() >= density) continue;
                double w = rng.NextDouble() + 0.01;
                rows.Add(i); cols.Add(j); vals.Add(w);
                if (i != j) { rows.Add(j); cols.Add(i); vals.Add(w); }
            }
        return SparseMatrix.FromTriplets(n, n, rows.ToArray(), cols.ToArray(), vals.ToArray());
    }
}
