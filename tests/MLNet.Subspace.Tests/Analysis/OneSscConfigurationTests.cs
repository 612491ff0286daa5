using Microsoft.ML;
using MLNet.Subspace.Analysis;
using MLNet.Subspace.ML;
using MLNet.Subspace.Numerics.Ssc;

namespace MLNet.Subspace.Tests.Analysis;

/// <summary>The SscAffinity estimator and the analysis run (LayerGraphs, which <c>subspace analyze</c> calls) are two faces of one SSC configuration.</summary>
public class OneSscConfigurationTests
{
    [Theory]
    [InlineData(SscSolver.Admm)]
    [InlineData(SscSolver.Omp)]
    [InlineData(SscSolver.Ensc)]
    public void Estimator_And_Analysis_Build_The_Same_Graph_From_The_Same_Activations_And_Options(SscSolver solver)
    {
        var activations = AnalysisPipelineTests.Synthetic(seed: 3);
        var options = new SscOptions { Solver = solver };

        var fromAnalysis = LayerGraphs.Build(activations, 1, options).Graph.Weights;
        var estimator = new MLContext(1).Transforms.SscAffinity(new SscAffinityEstimator.Options { FeatureColumnName = "subspaces", NumberOfClusters = 4, Ssc = options });
        var fromEstimator = estimator.Fit(activations.ToDataView()).Graph.Weights;

        Assert.True(fromAnalysis.NonZeroCount > activations.Count, "the graph has edges");
        Assert.Equal(fromAnalysis.RowPointers, fromEstimator.RowPointers);
        Assert.Equal(fromAnalysis.ColumnIndices, fromEstimator.ColumnIndices);
        Assert.Equal(fromAnalysis.Values, fromEstimator.Values);
    }

    [Fact]
    public void The_Defaults_Are_One_Configuration()
    {
        // The estimator, the analysis run and the catalog start from the same defaults.
        Assert.Equal(new SscOptions(), new SscAffinityEstimator.Options().Ssc);
        Assert.Equal(new SscOptions(), new MLNet.Subspace.Pipeline.AnalysisRunOptions().Ssc);
        var solverDefault = typeof(SubspaceCatalog).GetMethods().First(m => m.Name == "SscAffinity" && m.GetParameters().Length > 2)
            .GetParameters().Single(p => p.Name == "solver").DefaultValue;
        Assert.Equal(SscOptions.Defaults.Solver, solverDefault);
    }

    [Theory]
    [InlineData("admm", SscSolver.Admm)]
    [InlineData("ENSC", SscSolver.Ensc)]
    [InlineData(" omp ", SscSolver.Omp)]
    [InlineData("faithful", SscSolver.Faithful)]
    public void Solver_Names_Round_Trip(string name, SscSolver solver)
    {
        Assert.Equal(solver, SscOptions.ParseSolver(name));
        Assert.Equal(SscOptions.SolverName(solver), new SscOptions { Solver = solver }.CreateSolver(samples: 10).Name);
    }

    [Fact]
    public void An_Unknown_Solver_Name_Lists_The_Known_Ones()
    {
        var e = Assert.Throws<ArgumentException>(() => SscOptions.ParseSolver("elasticnet", "--solver"));

        Assert.Equal("The '--solver' option must be one of admm, faithful, omp, ensc. Got 'elasticnet' instead.", e.Message);
    }
}
