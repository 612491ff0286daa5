using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Subspace.ML;
using ClusteringMetrics = MLNet.Subspace.Numerics.Metrics.ClusteringMetrics;
using NmiNormalization = MLNet.Subspace.Numerics.Metrics.NmiNormalization;
using MLNet.Subspace.Numerics.Ssc;
using MLNet.Subspace.Numerics.Synthetic;

namespace MLNet.Subspace.Tests.ML;

public class SscAffinityEstimatorTests
{
    private sealed class Row
    {
        [VectorType(6)]
        public float[] Features { get; set; } = [];
    }

    private sealed class Prediction
    {
        [KeyType(3)]
        public uint PredictedLabel { get; set; }

        public float[] Score { get; set; } = [];

        public int[] Neighbours { get; set; } = [];
    }

    private static (IDataView View, float[] Values, int[] Labels) Data(int per = 25, int seed = 1)
    {
        var (x, labels) = UnionOfSubspaces.Generate(ambient: 6, dimension: 2, subspaces: 3, perSubspace: per, seed: seed);
        var values = x.Values.Select(v => (float)v).ToArray();
        var view = InMemoryDataView.Create(x.Rows).AddVector("Features", values, [6]).AddKey("Label", labels, ["a", "b", "c"]).Build();
        return (view, values, labels);
    }

    private static SscAffinityEstimator.Options Options(SscSolver solver = SscSolver.Ensc) => new() { NumberOfClusters = 3, Ssc = new SscOptions { Solver = solver }, NumberOfNeighbours = 4 };

    /// <summary>The SchemaShape of a schema (ML.NET's SchemaShape.Create is internal).</summary>
    private static SchemaShape Shape(DataViewSchema schema) => new(schema.Select(c => c.Type switch
    {
        VectorDataViewType v => MLNetInterop.Column(c.Name, v.IsKnownSize ? SchemaShape.Column.VectorKind.Vector : SchemaShape.Column.VectorKind.VariableVector, v.ItemType, v.ItemType is KeyDataViewType),
        KeyDataViewType => MLNetInterop.Column(c.Name, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, true),
        var t => MLNetInterop.Column(c.Name, SchemaShape.Column.VectorKind.Scalar, t, false),
    }));

    private static int[] Clusters(IDataView transformed) => transformed.GetColumn<uint>("PredictedLabel").Select(k => (int)k - 1).ToArray();

    [Theory]
    [InlineData(SscSolver.Ensc)]
    [InlineData(SscSolver.Omp)]
    [InlineData(SscSolver.Admm)]
    public void Fit_And_Transform_Recover_The_Subspaces(SscSolver solver)
    {
        var ml = new MLContext(1);
        var (view, _, labels) = Data();

        var model = ml.Transforms.SscAffinity(Options(solver)).Fit(view);
        var output = model.Transform(view);

        // OMP stops after dim = 2 atoms here, which leaves some subspaces' graphs disconnected (its known weakness).
        Assert.True(ClusteringMetrics.Accuracy(labels, Clusters(output)) >= (solver == SscSolver.Omp ? 0.8 : 1.0));
        var shares = output.GetColumn<float[]>("AffinityShare").ToList();
        Assert.All(shares, s => Assert.Equal(1.0, s.Sum(), 4));
        // Score is distance-like (ML.NET's clustering convention): argmin = the predicted cluster.
        var scores = output.GetColumn<float[]>("Score").ToList();
        var predicted = Clusters(output);
        for (int i = 0; i < scores.Count; i++) Assert.Equal(predicted[i], Array.IndexOf(scores[i], scores[i].Min()));
        var neighbours = output.GetColumn<int[]>("Neighbours").ToList();
        Assert.All(neighbours, n => Assert.Equal(4, n.Length));
        Assert.Equal(model.Graph.Neighbours(0).First().Node, neighbours[0][0]);
    }

    /// <summary>I(class; cluster) / H(class), ML.NET's normalisation, computed here from the contingency table.</summary>
    private static double NmiOverClassEntropy(int[] truth, int[] predicted)
    {
        double n = truth.Length, mi = 0, h = 0;
        foreach (int a in truth.Distinct())
        {
            double pa = truth.Count(t => t == a) / n;
            h -= pa * Math.Log(pa);
            foreach (int c in predicted.Distinct())
            {
                double pc = predicted.Count(p => p == c) / n;
                double pac = Enumerable.Range(0, truth.Length).Count(i => truth[i] == a && predicted[i] == c) / n;
                if (pac > 0) mi += pac * Math.Log(pac / (pa * pc));
            }
        }
        return mi / h;
    }

    [Fact]
    public void MLNet_Clustering_Evaluate_Reads_The_Predicted_Clusters_From_Score()
    {
        var ml = new MLContext(1);
        // Noisy subspaces: the clusters are imperfect, so NMI < 1 and some rows send affinity outside their cluster.
        var (x, labels) = UnionOfSubspaces.Generate(ambient: 6, dimension: 3, subspaces: 3, perSubspace: 30, seed: 3, noise: 0.3);
        var view = InMemoryDataView.Create(x.Rows).AddVector("Features", x.Values.Select(v => (float)v).ToArray(), [6]).AddKey("Label", labels, ["a", "b", "c"]).Build();
        var output = ml.Transforms.SscAffinity(Options()).Fit(view).Transform(view);
        var predicted = Clusters(output);
        var scores = output.GetColumn<float[]>("Score").ToArray();
        var shares = output.GetColumn<float[]>("AffinityShare").ToArray();

        var metrics = ml.Clustering.Evaluate(output, labelColumnName: "Label", scoreColumnName: "Score");

        double expected = NmiOverClassEntropy(labels, predicted);
        Assert.InRange(expected, 0.05, 0.999);
        Assert.Equal(expected, metrics.NormalizedMutualInformation, 12);
        Assert.Equal(expected, ClusteringMetrics.NormalizedMutualInformation(labels, predicted, NmiNormalization.TruthEntropy), 12);
        // AverageDistance = mean of Score at the predicted cluster = the mean share of affinity leaving the row's cluster
        // (up to the rows whose entry was lowered to keep the argmin on their cluster).
        Assert.Equal(Enumerable.Range(0, predicted.Length).Average(i => (double)scores[i][predicted[i]]), metrics.AverageDistance, 6);
        for (int i = 0; i < predicted.Length; i++)
        {
            Assert.Equal(predicted[i], Array.IndexOf(scores[i], scores[i].Min()));
            for (int c = 0; c < 3; c++)
                if (c != predicted[i] || scores[i][c] == 1f - shares[i][c]) Assert.Equal(1f - shares[i][c], scores[i][c]);
                else Assert.True(scores[i][c] < 1f - shares[i][c] && shares[i][c] <= shares[i].Max());
        }
    }

    [Theory]
    [InlineData(7, null, "seed 7 (the MLContext's)")]
    [InlineData(7, 3, "seed 3 (the options')")]
    [InlineData(null, null, "seed 0 (the MLContext's)")] // an MLContext without a seed: SscOptions.Defaults.Seed
    public void The_MLContext_Seed_Is_The_Seed_Unless_The_Options_Give_One(int? contextSeed, int? optionSeed, string expected)
    {
        var ml = contextSeed is int seed ? new MLContext(seed) : new MLContext();
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        var (view, _, _) = Data();

        ml.Transforms.SscAffinity(new SscAffinityEstimator.Options { NumberOfClusters = 3, Ssc = new SscOptions { Seed = optionSeed } }).Fit(view);

        lock (messages) Assert.Contains(messages, m => m.Contains(expected));
    }

    private static List<string> Warnings(MLContext ml)
    {
        var warnings = new List<string>();
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning) lock (warnings) warnings.Add(e.Message); };
        return warnings;
    }

    [Theory]
    [InlineData(SscSolver.Ensc)]
    [InlineData(SscSolver.Omp)]
    [InlineData(SscSolver.Admm)]
    public void All_Zero_Data_Gets_A_Warning(SscSolver solver)
    {
        var ml = new MLContext(1);
        var warnings = Warnings(ml);
        var view = InMemoryDataView.Create(12).AddVector("Features", new float[12 * 6], [6]).Build();

        var model = ml.Transforms.SscAffinity(new SscAffinityEstimator.Options { NumberOfClusters = 3, Ssc = new SscOptions { Solver = solver } }).Fit(view);

        Assert.Equal(0, model.Graph.Weights.NonZeroCount);
        lock (warnings) Assert.Contains(warnings, w => w.Contains("Every row of column 'Features' is zero (12 rows)") && w.Contains("arbitrary"));
    }

    [Fact]
    public void Some_Zero_Rows_Get_A_Warning_And_Clean_Data_None()
    {
        var ml = new MLContext(1);
        var warnings = Warnings(ml);
        var (_, values, _) = Data();
        var clean = InMemoryDataView.Create(values.Length / 6).AddVector("Features", values, [6]).Build();
        ml.Transforms.SscAffinity(Options()).Fit(clean);
        lock (warnings) Assert.Empty(warnings);

        var holed = (float[])values.Clone();
        Array.Clear(holed, 5 * 6, 6);
        Array.Clear(holed, 40 * 6, 6);
        ml.Transforms.SscAffinity(Options()).Fit(InMemoryDataView.Create(values.Length / 6).AddVector("Features", holed, [6]).Build());
        lock (warnings) Assert.Contains(warnings, w => w.Contains("2 of 75 rows of column 'Features' are zero"));
    }

    [Fact]
    public void Output_Schema_Has_Key_Score_And_Neighbour_Columns()
    {
        var ml = new MLContext(1);
        var (view, _, _) = Data();
        var estimator = ml.Transforms.SscAffinity(Options());

        var shape = estimator.GetOutputSchema(Shape(view.Schema));
        var schema = estimator.Fit(view).GetOutputSchema(view.Schema);

        Assert.True(shape.Single(c => c.Name == "PredictedLabel").IsKey);
        Assert.Contains(shape, c => c.Name == "Neighbours");
        Assert.Equal(3UL, ((KeyDataViewType)schema["PredictedLabel"].Type).Count);
        Assert.Equal(3, ((VectorDataViewType)schema["Score"].Type).Size);
        Assert.Equal(3, ((VectorDataViewType)schema["AffinityShare"].Type).Size);
        Assert.Contains(shape, c => c.Name == "AffinityShare");
    }

    [Fact]
    public void Works_In_An_Estimator_Chain_And_With_A_Prediction_Engine()
    {
        var ml = new MLContext(1);
        var (view, values, _) = Data();
        var chain = ml.Transforms.CopyColumns("Raw", "Features").Append(ml.Transforms.SscAffinity(Options()));

        var model = chain.Fit(view);
        var fromView = Clusters(model.Transform(view));
        var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model);
        var first = engine.Predict(new Row { Features = values[..6] });

        Assert.Equal((uint)fromView[0] + 1, first.PredictedLabel);
        Assert.Equal(3, first.Score.Length);
    }

    [Fact]
    public void Unseen_Rows_Get_An_Out_Of_Sample_Cluster()
    {
        var ml = new MLContext(1);
        var (view, values, labels) = Data(per: 30);
        var model = ml.Transforms.SscAffinity(Options()).Fit(view);
        var clusters = Clusters(model.Transform(view));
        var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model);

        // A new point on the first subspace: the average of two of its training points.
        var fresh = values[..6].Zip(values[6..12], (a, b) => (a + b) / 2).ToArray();
        var p = engine.Predict(new Row { Features = fresh });

        Assert.Equal((uint)clusters[0] + 1, p.PredictedLabel);
        Assert.Contains(p.Neighbours[0], Enumerable.Range(0, 30)); // its strongest neighbour is on the same subspace
        // A second unseen row reuses the coder the first one built: on the last subspace, and the same answer again.
        var last = values[^6..].Zip(values[^12..^6], (a, b) => (a + b) / 2).ToArray();
        var q = engine.Predict(new Row { Features = last });
        Assert.Equal((uint)clusters[^1] + 1, q.PredictedLabel);
        Assert.Contains(q.Neighbours[0], Enumerable.Range(60, 30));
        Assert.Equal(p.PredictedLabel, engine.Predict(new Row { Features = fresh }).PredictedLabel);
    }

    [Fact]
    public void Save_And_Load_Give_The_Same_Outputs_And_Write_Atomically()
    {
        var ml = new MLContext(1);
        var (view, _, _) = Data();
        var model = ml.Transforms.SscAffinity(Options()).Fit(view);
        using var folder = new TempFolder();

        model.Save(folder.File("ssc.bin"));
        var loaded = SscAffinityTransformer.Load(ml, folder.File("ssc.bin"));

        Assert.Equal(Clusters(model.Transform(view)), Clusters(loaded.Transform(view)));
        foreach (string column in new[] { "Score", "AffinityShare" })
            Assert.Equal(model.Transform(view).GetColumn<float[]>(column).ToArray(), loaded.Transform(view).GetColumn<float[]>(column).ToArray());
        Assert.Equal(model.Expression.Coefficients.ToDenseArray(), loaded.Expression.Coefficients.ToDenseArray());
        Assert.Single(Directory.GetFiles(folder.Path));
        Assert.Throws<NotSupportedException>(() => ml.Model.Save(model, view.Schema, folder.File("mlnet.zip")));
    }

    [Fact]
    public void Fit_Names_Row_And_Slot_Of_A_NaN()
    {
        var ml = new MLContext(1);
        var (_, values, _) = Data();
        values[4 * 6 + 3] = float.NaN;
        var view = InMemoryDataView.Create(values.Length / 6).AddVector("Features", values, [6]).Build();

        var e = Assert.Throws<InvalidOperationException>(() => ml.Transforms.SscAffinity(Options()).Fit(view));

        Assert.Contains("row 5, slot 4 (counted from 1)", e.Message); // values[4 * 6 + 3], 0-based
    }

    [Fact]
    public void Fit_Throws_When_Fewer_Than_Two_Rows()
    {
        var ml = new MLContext(1);
        var view = InMemoryDataView.Create(1).AddVector("Features", new float[6], [6]).Build();

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.SscAffinity(new SscAffinityEstimator.Options { NumberOfClusters = 2 }).Fit(view));

        Assert.Contains("minimum of 2", e.Message);
    }

    [Fact]
    public void Fit_Throws_When_Fewer_Rows_Than_Clusters()
    {
        var ml = new MLContext(1);
        var view = InMemoryDataView.Create(3).AddVector("Features", Enumerable.Range(0, 18).Select(i => (float)i).ToArray(), [6]).Build();

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.SscAffinity(new SscAffinityEstimator.Options { NumberOfClusters = 4 }).Fit(view));

        Assert.Contains("'NumberOfClusters' option of SscAffinityEstimator must be an integer in [2, rows] = [2, 3]. Got 4 instead.", e.Message);
    }

    [Fact]
    public void Fit_Throws_When_K_Exceeds_Rows_Minus_1()
    {
        var ml = new MLContext(1);
        var (view, _, _) = Data(per: 3);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.SscAffinity(new SscAffinityEstimator.Options { NumberOfClusters = 3, Ssc = new SscOptions { Solver = SscSolver.Omp, NonZeros = 9 } }).Fit(view));

        Assert.Contains("'NonZeros'", e.Message);
        Assert.Contains("[1, 8]", e.Message);
    }

    [Fact]
    public void Non_Vector_And_Variable_Size_Columns_Fail_In_Schema_And_Fit()
    {
        var ml = new MLContext(1);
        var scalar = InMemoryDataView.Create(4).AddScalar("Features", new float[4]).Build();
        var variable = ml.Data.LoadFromEnumerable(new[] { new { Features = new float[] { 1, 2 } }, new { Features = new float[] { 1, 2, 3 } } });
        var estimator = ml.Transforms.SscAffinity(new SscAffinityEstimator.Options { NumberOfClusters = 2 });

        foreach (var view in new IDataView[] { scalar, variable })
        {
            var a = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(Shape(view.Schema)));
            var b = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(view));
            Assert.Contains("known-size vector of Single", a.Message);
            Assert.Contains("known-size vector of Single", b.Message);
        }
    }

    [Fact]
    public void Options_Are_Validated_At_Construction()
    {
        var ml = new MLContext(1);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.SscAffinity(new SscAffinityEstimator.Options { NumberOfClusters = 1 }));

        Assert.Equal("The 'NumberOfClusters' option of SscAffinityEstimator must be an integer in [2, rows]. Got 1 instead. (Parameter 'NumberOfClusters')", e.Message);
    }

    [Fact]
    public void Catalog_Defaults_Match_The_Options_Defaults()
    {
        var options = new SscAffinityEstimator.Options();
        var parameters = typeof(SubspaceCatalog).GetMethods().First(m => m.Name == "SscAffinity" && m.GetParameters().Length > 2).GetParameters();

        Assert.Equal(options.PredictedLabelColumnName, parameters.Single(p => p.Name == "outputColumnName").DefaultValue);
        Assert.Equal(options.FeatureColumnName, parameters.Single(p => p.Name == "inputColumnName").DefaultValue);
        Assert.Equal(options.Ssc.Solver, parameters.Single(p => p.Name == "solver").DefaultValue);
    }

    [Fact]
    public void Admm_Beyond_The_Dense_Limit_Is_Refused_Before_Solving()
    {
        var ml = new MLContext(1);
        int n = 200_000;
        var view = InMemoryDataView.Create(n).AddVector("Features", Enumerable.Range(0, n).Select(i => (float)Math.Sin(i)).ToArray(), [1]).Build();

        var e = Assert.Throws<InsufficientMemoryException>(() => ml.Transforms.SscAffinity(new SscAffinityEstimator.Options { NumberOfClusters = 2, Ssc = new SscOptions { Solver = SscSolver.Admm } }).Fit(view));

        Assert.Contains("omp or ensc", e.Message);
    }
}
