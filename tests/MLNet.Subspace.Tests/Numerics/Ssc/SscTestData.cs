using MLNet.Subspace.Data;
using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Synthetic;
using TorchSharp;

namespace MLNet.Subspace.Tests.Numerics.Ssc;

/// <summary>Small inputs shared by the SSC tests.</summary>
internal static class SscTestData
{
    public static torch.Tensor Tensor(Matrix m) => torch.tensor(m.Values, [m.Rows, m.Columns], torch.float64);

    public static (torch.Tensor X, int[] Labels) Subspaces(int per = 30, int subspaces = 3, int ambient = 6, int dim = 2, double noise = 0, int seed = 1)
    {
        var (x, y) = UnionOfSubspaces.Generate(ambient, dim, subspaces, per, noise, seed);
        return (Tensor(x), y);
    }

    public static (torch.Tensor X, int[] Labels) PeerFixture()
    {
        var x = CsvMatrix.Read(TestPaths.Fixture("ssc", "uos_X.csv"));
        return (Tensor(x), CsvMatrix.ReadLabels(TestPaths.Fixture("ssc", "uos_y.csv"), x.Rows));
    }

    public static double[] Dense(SparseMatrix m) => m.ToDenseArray();

    public static double MaxAbsDiff(double[] a, double[] b) => a.Zip(b, (p, q) => Math.Abs(p - q)).Max();
}
