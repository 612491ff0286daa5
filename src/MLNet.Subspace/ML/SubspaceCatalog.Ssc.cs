using Microsoft.ML;
using MLNet.Subspace.Numerics.Ssc;

namespace MLNet.Subspace.ML;

/// <summary>MLNet.Subspace's transforms on <c>mlContext.Transforms</c>.</summary>
public static partial class SubspaceCatalog
{
    /// <summary>
    /// Sparse subspace clustering of a vector column (see <see cref="SscAffinityEstimator"/>): adds the cluster
    /// (<paramref name="outputColumnName"/>, key 1..k), a distance-like "Score" column (argmin = the cluster, as ML.NET's clustering
    /// evaluator reads it) and an "AffinityShare" column.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">Cluster column. Default <see cref="ColumnNames.PredictedLabel"/>.</param>
    /// <param name="inputColumnName">Known-size vector of Single. Default <see cref="ColumnNames.Features"/>.</param>
    /// <param name="numberOfClusters">k, in [2, rows].</param>
    /// <param name="solver">The solver. Default <see cref="SscOptions.Defaults.Solver"/>.</param>
    /// <returns>The estimator.</returns>
    public static SscAffinityEstimator SscAffinity(this TransformsCatalog catalog,
        string outputColumnName = SscAffinityEstimator.Defaults.PredictedLabelColumnName,
        string inputColumnName = SscAffinityEstimator.Defaults.FeatureColumnName,
        int numberOfClusters = 2,
        SscSolver solver = SscOptions.Defaults.Solver)
        => SscAffinity(catalog, new SscAffinityEstimator.Options
        {
            PredictedLabelColumnName = outputColumnName,
            FeatureColumnName = inputColumnName,
            NumberOfClusters = numberOfClusters,
            Ssc = new SscOptions { Solver = solver },
        });

    /// <summary>Sparse subspace clustering with every option (see <see cref="SscAffinityEstimator.Options"/>).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The options.</param>
    /// <returns>The estimator.</returns>
    public static SscAffinityEstimator SscAffinity(this TransformsCatalog catalog, SscAffinityEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new SscAffinityEstimator(MLNetInterop.Environment(catalog), options);
    }
}
