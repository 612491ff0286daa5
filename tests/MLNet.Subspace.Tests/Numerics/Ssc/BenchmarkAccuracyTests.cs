using MLNet.Subspace.Numerics.Metrics;
using MLNet.Subspace.Numerics.Ssc;
using static MLNet.Subspace.Tests.Numerics.Ssc.SscTestData;

namespace MLNet.Subspace.Tests.Numerics.Ssc;

/// <summary>The accuracy targets on the benchmark protocol (5 subspaces of dimension 6 in R^9, 400 points each).</summary>
public class BenchmarkAccuracyTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void Solvers_Meet_The_Accuracy_Targets_At_N_2000()
    {
        // Given the benchmark protocol's data (our generator; the peer's gen draws differ but follow the same protocol)
        var (x, labels) = Subspaces(per: 400, subspaces: 5, ambient: 9, dim: 6, seed: 1);

        // When clustering with EnSC, exact ADMM and OMP
        double Accuracy(SelfExpressionSolver solver) => ClusteringMetrics.Accuracy(labels, SubspaceClustering.Run(x, solver, 5, seed: 0).Labels);

        // Then EnSC >= 0.98 and ADMM >= the peer's 0.9575, as the issue asks; OMP clearly above chance. (ADMM now converges
        // on Boyd's residuals, 45 iterations, at 0.971 with 7.1 non-zeros per code; it stopped at the 200 cap before.)
        Assert.True(Accuracy(new ElasticNetSolver()) >= 0.98);
        Assert.True(Accuracy(new AdmmLassoSolver()) >= 0.9575);
        Assert.True(Accuracy(new OmpSolver()) >= 0.85);
    }
}
