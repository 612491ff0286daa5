using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Subspace.Analysis;
using MLNet.Subspace.ML;
using MLNet.Subspace.Numerics.Ssc;

namespace MLNet.Subspace.Tests.ML;

/// <summary>A fitted ML.NET pipeline read as layers: each stage's vector columns, named stage-index:column.</summary>
public class PipelineActivationsTests
{
    private static readonly string[] Classes = ["a", "b", "c"];

    /// <summary>60 rows, three classes around three centres in R^4 (the fourth feature noise), Label a key.</summary>
    private static IDataView Blobs(int features = 4, int rows = 60)
    {
        var random = new Random(7);
        var labels = Enumerable.Range(0, rows).Select(i => i % 3).ToArray();
        var values = new float[rows * features];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < features; j++)
                values[i * features + j] = (float)((j == labels[i] ? 5.0 : 0.0) + random.NextDouble());
        return InMemoryDataView.Create(rows).AddVector(ColumnNames.Features, values, [features]).AddKey(ColumnNames.Label, labels, Classes).Build();
    }

    private static ITransformer NormaliseAndSdca(MLContext ml, IDataView data)
        => ml.Transforms.NormalizeMinMax(ColumnNames.Features)
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 20))
            .Fit(data);

    [Fact]
    public void Each_Stage_Adds_Its_Vector_Columns_As_Layers_With_The_Values_MLNet_Computes()
    {
        var ml = new MLContext(seed: 1);
        var data = Blobs();
        var model = NormaliseAndSdca(ml, data);

        var activations = PipelineActivations.Extract(model, data);

        Assert.Equal(["input:Features", "0:Features", "1:Score"], activations.LayerNames);
        var output = model.Transform(data);
        Assert.Equal(data.GetColumn<float[]>(ColumnNames.Features).SelectMany(r => r), activations.Layer("input:Features").Values);
        Assert.Equal(output.GetColumn<float[]>(ColumnNames.Features).SelectMany(r => r), activations.Layer("0:Features").Values);
        var score = output.GetColumn<float[]>(ColumnNames.Score).SelectMany(r => r).ToArray();
        Assert.Equal(score, activations.Layer("1:Score").Values);
        Assert.Equal(score, activations.Scores);
        Assert.Equal(output.GetColumn<uint>(ColumnNames.PredictedLabel).Select(k => (int)k - 1), activations.Predictions);
        Assert.Equal(Enumerable.Range(0, 60).Select(i => i % 3), activations.Labels!);
        Assert.Equal(Classes, activations.ClassNames);
        Assert.Equal(3, activations.Classes);
        Assert.Equal([4], activations.LayerShapes[1]);
        // Min-max normalisation of non-negative values divides by each feature's maximum: check one by hand.
        var raw = activations.Layer("input:Features").Values;
        float max0 = Enumerable.Range(0, 60).Max(i => raw[i * 4]);
        Assert.Equal(raw[4] / max0, activations.Layer("0:Features").Values[4], 5);
    }

    [Fact]
    public void A_Saved_Zip_Gives_The_Same_Layers_And_Every_Analysis_Takes_Them()
    {
        using var temp = new TempFolder();
        var ml = new MLContext(seed: 1);
        var data = Blobs();
        var model = NormaliseAndSdca(ml, data);
        string path = temp.File("model.zip");
        ml.Model.Save(model, data.Schema, path);

        var loaded = PipelineActivations.Load(new MLContext(seed: 2), path, out var schema);
        var fromZip = PipelineActivations.Extract(loaded, data);
        var inMemory = PipelineActivations.Extract(model, data);

        Assert.Equal(inMemory.LayerNames, fromZip.LayerNames);
        for (int l = 0; l < inMemory.LayerNames.Count; l++) Assert.Equal(inMemory.Values[l], fromZip.Values[l]);
        Assert.Equal(inMemory.Scores, fromZip.Scores);
        var stages = PipelineActivations.Describe(loaded, schema);
        Assert.Equal(["NormalizingTransformer", "MulticlassPredictionTransformer"], stages.Select(s => s.Transformer));
        Assert.Equal(["1:Score"], stages[1].Layers);
        Assert.Contains(("PredictedLabel", "Key<UInt32, 0-2>"), stages[1].Columns);

        var graphs = LayerGraphs.BuildAll(fromZip, new SscOptions { Solver = SscSolver.Omp, NonZeros = 3 });
        var layerwise = LayerwiseAnalysis.Run(fromZip, graphs);
        var architecture = ArchitectureAnalysis.Run(graphs);
        var similarity = LayerSimilarity.Compute(fromZip);
        Assert.Equal(3, layerwise.Layers.Count);
        Assert.All(layerwise.Layers, r => Assert.True(r.Modularity > 0.3, $"{r.Layer}: Q = {r.Modularity}"));
        Assert.Equal(3, architecture.SscCka.RowNames.Count);
        Assert.Equal(1.0, similarity.Values[1, 1], 9);
        // The input and its per-feature rescaling are alike but not identical representations under linear CKA.
        Assert.InRange(similarity.Values[0, 1], 0.5, 1.0 - 1e-6);
    }

    [Fact]
    public void Columns_Option_Selects_Layers_By_Full_Or_Column_Name_And_Lists_The_Layers_For_An_Unknown_One()
    {
        var ml = new MLContext(seed: 1);
        var data = Blobs();
        var model = NormaliseAndSdca(ml, data);

        Assert.Equal(["input:Features", "0:Features"], PipelineActivations.Extract(model, data, new() { Columns = [ColumnNames.Features] }).LayerNames);
        Assert.Equal(["1:Score"], PipelineActivations.Extract(model, data, new() { Columns = ["1:Score"] }).LayerNames);
        Assert.Equal(["0:Features", "1:Score"], PipelineActivations.Extract(model, data, new() { IncludeInputs = false }).LayerNames);
        var e = Assert.Throws<ArgumentException>(() => PipelineActivations.Extract(model, data, new() { Columns = ["2:Hidden"] }));
        Assert.Contains("no layer '2:Hidden'", e.Message);
        Assert.Contains("input:Features, 0:Features, 1:Score", e.Message);
    }

    private sealed class Ragged
    {
        public double[] Extra { get; set; } = [];
        public float Score { get; set; }
    }

    [Fact]
    public void Double_And_Variable_Size_Vectors_Are_Layers_Padded_With_Zeros_And_A_Scalar_Score_Is_One_Class()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Ragged { Extra = [1, 2], Score = 0.5f }, new Ragged { Extra = [3], Score = 1.5f }, new Ragged { Extra = [4, 5, 6], Score = 2f } });
        var model = ml.Transforms.Concatenate("Both", nameof(Ragged.Score), nameof(Ragged.Score)).Fit(data);

        var activations = PipelineActivations.Extract(model, data);

        Assert.Equal(["input:Extra", "0:Both"], activations.LayerNames);
        Assert.Equal([1f, 2, 0, 3, 0, 0, 4, 5, 6], activations.Layer("input:Extra").Values);
        Assert.Equal([0.5f, 0.5f, 1.5f, 1.5f, 2, 2], activations.Layer("0:Both").Values);
        Assert.Equal(1, activations.Classes);
        Assert.Equal([0.5f, 1.5f, 2], activations.Scores);
        Assert.Null(activations.Labels);
    }

    [Fact]
    public void A_Zip_Whose_Stages_Add_No_Vector_Column_Is_Refused_Naming_Each_Stage_And_Its_Column_Types()
    {
        using var temp = new TempFolder();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Named { Name = "x" }, new Named { Name = "y" } });
        var model = ml.Transforms.Conversion.MapValueToKey("Code", nameof(Named.Name)).Append(ml.Transforms.Text.NormalizeText("Lower", nameof(Named.Name))).Fit(data);
        string path = temp.File("keys.zip");
        ml.Model.Save(model, data.Schema, path);

        var loaded = PipelineActivations.Load(ml, path, out _);
        var e = Assert.Throws<ArgumentException>(() => PipelineActivations.Extract(loaded, data));

        Assert.Contains("No stage of the model adds a vector column of Single or Double", e.Message);
        Assert.Contains("stage 0 (ValueToKeyMappingTransformer) adds Code: Key<UInt32, 0-1>", e.Message);
        Assert.Contains("stage 1 (TextNormalizingTransformer) adds Lower: String", e.Message);
    }

    private sealed class Named
    {
        public string Name { get; set; } = "";
    }

    [Fact]
    public void A_File_That_Is_Not_An_MLNet_Model_Is_Named_With_What_Is_Wrong()
    {
        using var temp = new TempFolder();
        var ml = new MLContext(seed: 1);
        string text = temp.File("notes.zip");
        File.WriteAllText(text, "not a model");
        string otherZip = temp.File("other.zip");
        using (var zip = ZipFile.Open(otherZip, ZipArchiveMode.Create)) using (var w = new StreamWriter(zip.CreateEntry("readme.txt").Open())) w.Write("hello");

        var notZip = Assert.Throws<InvalidDataException>(() => PipelineActivations.Load(ml, text, out _));
        Assert.Contains(text, notZip.Message);
        Assert.Contains("not an ML.NET model", notZip.Message);
        var notModel = Assert.Throws<InvalidDataException>(() => PipelineActivations.Load(ml, otherZip, out _));
        Assert.Contains(otherZip, notModel.Message);
        var missing = Assert.Throws<FileNotFoundException>(() => PipelineActivations.Load(ml, temp.File("none.zip"), out _));
        Assert.Contains("none.zip", missing.Message);
    }

    [Fact]
    public void Data_Of_Another_Schema_Is_Refused_With_What_The_Model_Was_Trained_On()
    {
        using var temp = new TempFolder();
        var ml = new MLContext(seed: 1);
        var data = Blobs();
        string path = temp.File("model.zip");
        ml.Model.Save(NormaliseAndSdca(ml, data), data.Schema, path);
        var model = PipelineActivations.Load(ml, path, out var trainedOn);

        var e = Assert.Throws<ArgumentException>(() => PipelineActivations.CheckInput(model, trainedOn, Blobs(features: 6).Schema, "model.zip"));

        Assert.Contains("Model model.zip cannot read the data", e.Message);
        Assert.Contains("trained on data with Features: Vector<Single, 4>", e.Message);
        Assert.Contains("the data has Features: Vector<Single, 6>", e.Message);
        PipelineActivations.CheckInput(model, trainedOn, Blobs().Schema, "model.zip");
    }
}
