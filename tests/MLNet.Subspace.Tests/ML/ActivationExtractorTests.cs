using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Subspace.Data;
using MLNet.Subspace.ML;
using MLNet.Subspace.Models;
using MLNet.Subspace.Torch;
using MLNet.Subspace.Models.Activations;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.ML;

[Collection(TorchGlobalRng.Name)]
public class ActivationExtractorTests
{
    private const int Rows = 10;

    private static (ResNet Model, float[] Pixels) TinyResNet(int seed = 1)
    {
        Seeding.Apply(seed);
        var model = new ResNet(ResNetBlock.Basic, [1, 1], inputChannels: 3, imageSize: 8, classes: 5, width: 4);
        // Non-trivial batch-norm statistics so eval mode differs from identity.
        model.train();
        using (no_grad()) model.call(torch.randn(16, 3, 8, 8) * 2 + 0.5).Dispose();
        model.eval();
        var rng = new Random(seed);
        return (model, Enumerable.Range(0, Rows * 3 * 8 * 8).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray());
    }

    private static IDataView Images(float[] pixels, int[] dims, int rows = Rows)
        => InMemoryDataView.Create(rows)
            .AddVector("Features", pixels, dims)
            .AddScalar("Id", Enumerable.Range(0, rows).ToArray())
            .Build();

    private static float[] Column(IDataView view, string name)
        => VectorColumn.Read(view, name).Values;

    private static Tensor Manual(nn.Module<Tensor, Tensor> model, string name, Tensor x)
        => ((nn.Module<Tensor, Tensor>)model.named_modules().Single(m => m.name == name).module).forward(x);

    [Fact]
    public void Default_Columns_Are_Every_Conv_In_Registration_Order_Including_Shortcuts()
    {
        // Given a two-stage ResNet with a shortcut conv in its second stage
        var (model, pixels) = TinyResNet();
        var ml = new MLContext(1);

        // When the extractor is fitted with defaults
        var transformer = ml.Transforms.ExtractActivations(model).Fit(Images(pixels, [3, 8, 8]));
        var schema = transformer.GetOutputSchema(Images(pixels, [3, 8, 8]).Schema);

        // Then every Conv2d is a column, in named_modules() order, with its shape annotated
        string[] expected = ["conv1", "layer1.0.conv1", "layer1.0.conv2", "layer2.0.conv1", "layer2.0.conv2", "layer2.0.shortcut.0"];
        Assert.Equal(expected, transformer.Layers.Select(l => l.Name));
        Assert.Equal([[4, 8, 8], [4, 8, 8], [4, 8, 8], [8, 4, 4], [8, 4, 4], [8, 4, 4]], transformer.LayerShapes);
        var column = schema["layer2.0.shortcut.0"];
        Assert.Equal(8 * 4 * 4, ((VectorDataViewType)column.Type).Size);
        VBuffer<int> shape = default;
        column.Annotations.GetValue("LayerShape", ref shape);
        Assert.Equal([8, 4, 4], shape.DenseValues());
        VBuffer<ReadOnlyMemory<char>> slots = default;
        column.Annotations.GetValue("SlotNames", ref slots);
        Assert.Equal("c1.y0.x0", slots.GetItemOrDefault(16).ToString());
        Assert.Equal(NumberDataViewType.Int32, schema["Id"].Type);
        Assert.IsType<KeyDataViewType>(schema["PredictedLabel"].Type);
    }

    [Fact]
    public void Activations_Equal_A_Manual_Forward_Pass_For_Any_Batch_Size()
    {
        // Given a model and images
        var (model, pixels) = TinyResNet();
        var ml = new MLContext(1);
        var data = Images(pixels, [3, 8, 8]);

        // When extracted with batches of 3 (a partial last batch) and of 64
        IDataView Run(int batch) => ml.Transforms.ExtractActivations(model, new ActivationExtractorEstimator.Options
        {
            LayerNames = ["layer1.0.conv2", "layer2.0.shortcut.0"],
            BatchSize = batch,
        }).Fit(data).Transform(data);
        var small = Run(3);
        var large = Run(64);

        // Then both equal a forward pass written out by hand
        using var _ = no_grad();
        using var x = torch.tensor(pixels, [Rows, 3, 8, 8]);
        var stem = nn.functional.relu(Manual(model, "bn1", Manual(model, "conv1", x)));
        var a = nn.functional.relu(Manual(model, "layer1.0.bn1", Manual(model, "layer1.0.conv1", stem)));
        var conv2 = Manual(model, "layer1.0.conv2", a);
        var block1 = nn.functional.relu(Manual(model, "layer1.0.bn2", conv2) + stem);
        var shortcut = Manual(model, "layer2.0.shortcut.0", block1);
        var logits = model.call(x);
        Assert.Equal(conv2.data<float>().ToArray(), Column(small, "layer1.0.conv2"), new FloatTolerance(1e-5f));
        Assert.Equal(shortcut.data<float>().ToArray(), Column(small, "layer2.0.shortcut.0"), new FloatTolerance(1e-5f));
        Assert.Equal(Column(large, "layer2.0.shortcut.0"), Column(small, "layer2.0.shortcut.0"), new FloatTolerance(1e-5f));
        Assert.Equal(logits.softmax(1).data<float>().ToArray(), Column(small, "Score"), new FloatTolerance(1e-6f));
        var predicted = small.GetColumn<uint>("PredictedLabel").Select(k => (int)k - 1).ToArray();
        Assert.Equal(logits.argmax(1).data<long>().ToArray().Select(v => (int)v), predicted);
        Assert.Equal(Enumerable.Range(0, Rows), small.GetColumn<int>("Id"));
    }

    [Fact]
    public void Global_Average_Pooling_Is_The_Mean_Of_Each_Channel()
    {
        var (model, pixels) = TinyResNet();
        var ml = new MLContext(1);
        var data = Images(pixels, [3 * 8 * 8]);

        var flat = ml.Transforms.ExtractActivations(model, layerNames: ["layer2.0.conv1"]).Fit(data).Transform(data);
        var pooled = ml.Transforms.ExtractActivations(model, layerNames: ["layer2.0.conv1"], pooling: ActivationPooling.GlobalAverage).Fit(data).Transform(data);

        var f = Column(flat, "layer2.0.conv1");
        var p = Column(pooled, "layer2.0.conv1");
        Assert.Equal(Rows * 8, p.Length);
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < 8; c++)
                Assert.Equal(f.Skip(r * 128 + c * 16).Take(16).Average(), p[r * 8 + c], 5);
    }

    [Fact]
    public void Parallel_Cursors_Give_The_Same_Values_As_A_Single_One()
    {
        var (model, pixels) = TinyResNet();
        var ml = new MLContext(1);
        var data = Images(pixels, [3, 8, 8]);
        var view = ml.Transforms.ExtractActivations(model, batchSize: 4).Fit(data).Transform(data);
        var expected = Column(view, "layer1.0.conv1");

        var results = new float[8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = Column(view, "layer1.0.conv1"));

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void Unknown_Layer_Name_Throws_Listing_The_Available_Layers()
    {
        var (model, _) = TinyResNet();
        var ml = new MLContext(1);

        var e = Assert.Throws<ArgumentException>(() => ml.Transforms.ExtractActivations(model, layerNames: ["layer9.conv"]));

        Assert.Contains("'layer9.conv'", e.Message);
        Assert.Contains("layer2.0.shortcut.0 (Conv2d)", e.Message);
        Assert.Contains("fc (Linear)", e.Message);
    }

    [Fact]
    public void Pattern_And_Type_Selection_Keep_Registration_Order()
    {
        var (model, _) = TinyResNet();

        var byPattern = LayerSelector.Select(model, pattern: @"layer2\..*conv\d");
        var byType = LayerSelector.Select(model, types: [typeof(BatchNorm2d)]);

        Assert.Equal(["layer2.0.conv1", "layer2.0.conv2"], byPattern.Select(l => l.Name));
        Assert.Equal(["bn1", "layer1.0.bn1", "layer1.0.bn2", "layer2.0.bn1", "layer2.0.bn2", "layer2.0.shortcut.1"], byType.Select(l => l.Name));
    }

    [Fact]
    public void Input_Of_The_Wrong_Size_Throws_Expected_Versus_Given_Shape()
    {
        var (model, _) = TinyResNet();
        var ml = new MLContext(1);
        var wrong = Images(new float[Rows * 784], [784]);
        var estimator = ml.Transforms.ExtractActivations(model);

        var e = Assert.Throws<ArgumentException>(() => estimator.Fit(wrong));

        Assert.Contains("[3, 8, 8]", e.Message);
        Assert.Contains("784", e.Message);
    }

    [Fact]
    public void Wrong_Column_Type_Fails_In_GetOutputSchema_And_Fit()
    {
        var (model, _) = TinyResNet();
        var ml = new MLContext(1);
        var data = InMemoryDataView.Create(2).AddScalar("Features", new float[2]).Build();
        var estimator = ml.Transforms.ExtractActivations(model);

        Assert.ThrowsAny<ArgumentException>(() => estimator.GetOutputSchema(new SchemaShape([MLNetInterop.Column("Features", SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false)])));
        Assert.ThrowsAny<ArgumentException>(() => estimator.Fit(data));
    }

    [Fact]
    public void Materialize_Matches_The_Lazy_View_And_Round_Trips_Through_ToDataView()
    {
        var (model, pixels) = TinyResNet();
        var ml = new MLContext(1);
        var labels = Enumerable.Range(0, Rows).Select(i => i % 5).ToArray();
        var data = InMemoryDataView.Create(Rows).AddVector("Features", pixels, [3, 8, 8]).AddKey("Label", labels, ["a", "b", "c", "d", "e"]).Build();
        var transformer = ml.Transforms.ExtractActivations(model).Fit(data);

        var materialised = transformer.Materialize(data, "Label");
        var lazy = transformer.Transform(data);

        Assert.Equal(6, materialised.LayerNames.Count);
        Assert.Equal(labels, materialised.Labels);
        Assert.Equal(Column(lazy, "layer2.0.shortcut.0"), materialised.Layer("layer2.0.shortcut.0").Values);
        var view = materialised.ToDataView();
        Assert.Equal(Column(lazy, "conv1"), Column(view, "conv1"));
        Assert.Equal(labels, VectorColumn.ReadLabels(view, "Label"));
    }

    [Fact]
    public void Extract_From_A_Probe_Set_Equals_The_Transform()
    {
        var (model, pixels) = TinyResNet();
        var labels = Enumerable.Range(0, Rows).Select(i => i % 2).ToArray();
        var dataset = new ImageDataset(pixels, labels, 3, 8, 8, ["x", "y"]);
        var probe = dataset.Select(ProbeSampling.ClassBalanced(labels, 2, 3, new Random(5)));

        var acts = LayerActivations.Extract(model, probe, batchSize: 4);
        var view = new MLContext(1).Transforms.ExtractActivations(model).Fit(Images(probe.Pixels, [3, 8, 8], 6)).Transform(Images(probe.Pixels, [3, 8, 8], 6));

        Assert.Equal(6, acts.Count);
        Assert.Equal(probe.Labels, acts.Labels);
        Assert.Equal(Column(view, "layer1.0.conv2"), acts.Layer("layer1.0.conv2").Values);
    }

    [Fact]
    public void Materialize_Refuses_With_An_Estimate_When_It_Would_Not_Fit()
    {
        var (model, pixels) = TinyResNet();
        var data = Images(pixels, [3, 8, 8]);
        var transformer = new MLContext(1).Transforms.ExtractActivations(model).Fit(data);

        var e = Assert.Throws<InsufficientMemoryException>(() => transformer.Materialize(data, maximumBytes: 1000));

        // 10 rows x (3 x 256 + 3 x 128 floats + 5 scores) x 4 bytes + 8 x 10
        Assert.Contains($"({4 * 10 * (3 * 256 + 3 * 128 + 5) + 80} bytes)", e.Message);
        Assert.Contains("lazy transform", e.Message);
    }

    [Fact]
    public void Hooks_Are_Removed_When_The_Set_Is_Disposed()
    {
        using var conv = nn.Conv2d(1, 1, 1);
        int fired = 0;
        using (var hooks = new ForwardHookSet())
        {
            hooks.Add(conv, _ => fired++);
            conv.call(torch.zeros(1, 1, 2, 2)).Dispose();
        }
        conv.call(torch.zeros(1, 1, 2, 2)).Dispose();
        Assert.Equal(1, fired);
    }

    private static void AssertSameColumns(IDataView expected, IDataView actual)
    {
        Assert.Equal(expected.Schema.Select(c => (c.Name, c.Type.ToString())), actual.Schema.Select(c => (c.Name, c.Type.ToString())));
        foreach (var column in expected.Schema.Where(c => c.Type is VectorDataViewType { ItemType: NumberDataViewType }))
            Assert.Equal(Column(expected, column.Name), Column(actual, column.Name));
    }

    [Fact]
    public void Saving_With_MLContext_Points_To_The_Extractors_Own_Save()
    {
        var (model, pixels) = TinyResNet();
        var ml = new MLContext(1);
        var data = Images(pixels, [3, 8, 8]);
        var transformer = ml.Transforms.ExtractActivations(model).Fit(data);

        var e = Assert.Throws<NotSupportedException>(() => ml.Model.Save(transformer, data.Schema, Path.Combine(Path.GetTempPath(), "never-written.zip")));

        Assert.Contains("ActivationExtractorTransformer.Load", e.Message);
    }

    [Fact]
    public void Save_And_Load_Rebuild_A_Zoo_Network_And_Every_Setting()
    {
        // Given a zoo network with non-trivial batch-norm statistics and non-default settings
        Seeding.Apply(3);
        var (_, pixels) = TinyResNet();
        using var model = ModelZoo.Create("resnet18-4", inputChannels: 3, imageSize: 8, classes: 5);
        model.train();
        using (no_grad()) model.call(torch.randn(16, 3, 8, 8) * 2 + 0.5).Dispose();
        var ml = new MLContext(1);
        var data = Images(pixels, [3, 8, 8]);
        var original = ml.Transforms.ExtractActivations(model, new ActivationExtractorEstimator.Options
        {
            LayerPattern = @"layer[34]\..*conv\d",
            Pooling = ActivationPooling.GlobalAverage,
            OutputColumnPrefix = "act.",
            ClassNames = ["a", "b", "c", "d", "e"],
            BatchSize = 3,
        }).Fit(data);
        using var folder = new TempFolder();

        // When it is saved and loaded without passing the network
        original.Save(folder.File("extractor.bin"));
        var loaded = ActivationExtractorTransformer.Load(ml, folder.File("extractor.bin"));

        // Then the same network, layers and columns come back, value for value, and nothing else was written
        Assert.Equal("resnet18-4", Assert.IsAssignableFrom<ImageClassifier>(loaded.Model).Spec);
        Assert.NotSame(model, loaded.Model);
        Assert.Equal(original.Layers.Select(l => l.Name), loaded.Layers.Select(l => l.Name));
        Assert.Equal(8, loaded.Layers.Count);
        AssertSameColumns(original.Transform(data), loaded.Transform(data));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Load_Of_A_Network_Outside_The_Zoo_Takes_Its_Architecture_And_Restores_The_Weights()
    {
        var (model, pixels) = TinyResNet(seed: 1);
        var ml = new MLContext(1);
        var data = Images(pixels, [3, 8, 8]);
        var original = ml.Transforms.ExtractActivations(model).Fit(data);
        using var folder = new TempFolder();
        original.Save(folder.File("extractor.bin"));

        var e = Assert.Throws<ArgumentException>(() => ActivationExtractorTransformer.Load(ml, folder.File("extractor.bin")));
        Assert.Contains("'model' argument", e.Message);

        var (other, _) = TinyResNet(seed: 2);
        Assert.NotEqual(Column(original.Transform(data), "conv1"), Column(ml.Transforms.ExtractActivations(other).Fit(data).Transform(data), "conv1"));
        var loaded = ActivationExtractorTransformer.Load(ml, folder.File("extractor.bin"), other);
        Assert.Same(other, loaded.Model);
        AssertSameColumns(original.Transform(data), loaded.Transform(data));
    }

    [Fact]
    public void Load_Names_The_File_When_It_Is_Truncated_Foreign_Or_For_Another_Architecture()
    {
        var (model, pixels) = TinyResNet();
        var ml = new MLContext(1);
        var transformer = ml.Transforms.ExtractActivations(model).Fit(Images(pixels, [3, 8, 8]));
        using var folder = new TempFolder();
        string path = folder.File("extractor.bin"), cut = folder.File("cut.bin"), foreign = folder.File("foreign.bin");
        transformer.Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(cut, bytes[..(bytes.Length - 100)]);
        File.WriteAllText(foreign, "not an extractor");
        var wider = new ResNet(ResNetBlock.Basic, [1, 1], inputChannels: 3, imageSize: 8, classes: 5, width: 6);

        var truncated = Assert.Throws<InvalidDataException>(() => ActivationExtractorTransformer.Load(ml, cut, TinyResNet(2).Model));
        var notOurs = Assert.Throws<InvalidDataException>(() => ActivationExtractorTransformer.Load(ml, foreign));
        var mismatch = Assert.Throws<InvalidDataException>(() => ActivationExtractorTransformer.Load(ml, path, wider));

        Assert.Contains(cut, truncated.Message);
        Assert.Contains("not an ActivationExtractor file", notOurs.Message);
        Assert.Contains("parameter 'conv1.weight' has shape [6, 3, 3, 3] in the model but [4, 3, 3, 3] in the file", mismatch.Message);
    }

    [Fact]
    public void Catalog_Defaults_Equal_The_Options_Defaults()
    {
        var (model, pixels) = TinyResNet();
        var ml = new MLContext(1);
        var data = Images(pixels, [3, 8, 8]);

        var viaCatalog = ml.Transforms.ExtractActivations(model).Fit(data).Transform(data);
        var viaOptions = ml.Transforms.ExtractActivations(model, new ActivationExtractorEstimator.Options()).Fit(data).Transform(data);

        Assert.Equal(viaOptions.Schema.Select(c => (c.Name, c.Type.ToString())), viaCatalog.Schema.Select(c => (c.Name, c.Type.ToString())));
        var parameters = typeof(SubspaceCatalog).GetMethods().Single(m => m.Name == "ExtractActivations" && m.GetParameters().Any(p => p.Name == "batchSize")).GetParameters();
        var options = new ActivationExtractorEstimator.Options();
        Assert.Equal(options.InputColumnName, parameters.Single(p => p.Name == "inputColumnName").DefaultValue);
        Assert.Equal(options.Pooling, parameters.Single(p => p.Name == "pooling").DefaultValue);
        Assert.Equal(options.BatchSize, parameters.Single(p => p.Name == "batchSize").DefaultValue);
        Assert.Equal(64, options.BatchSize); // "Defaults to 64"
    }

    public sealed class ImageRow
    {
        [VectorType(3, 8, 8)]
        public float[] Features { get; set; } = [];
    }

    public sealed class Prediction
    {
        public float[] Score { get; set; } = [];

        [ColumnName("layer2.0.conv1")]
        public float[] Conv { get; set; } = [];
    }

    [Fact]
    public void PredictionEngine_Gives_The_Transforms_Values_Row_By_Row()
    {
        var (model, pixels) = TinyResNet();
        var ml = new MLContext(1);
        var data = Images(pixels, [3, 8, 8]);
        var transformer = ml.Transforms.ExtractActivations(model, layerNames: ["layer2.0.conv1"]).Fit(data);
        var expected = Column(transformer.Transform(data), "layer2.0.conv1");
        var scores = Column(transformer.Transform(data), "Score");

        using var engine = ml.Model.CreatePredictionEngine<ImageRow, Prediction>(transformer, ignoreMissingColumns: true);
        for (int r = 0; r < 3; r++)
        {
            var p = engine.Predict(new ImageRow { Features = pixels.AsSpan(r * 192, 192).ToArray() });
            Assert.Equal(expected.AsSpan(r * 128, 128).ToArray(), p.Conv, new FloatTolerance(1e-5f));
            Assert.Equal(scores.AsSpan(r * 5, 5).ToArray(), p.Score, new FloatTolerance(1e-5f));
        }
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Abs(x));

        public int GetHashCode(float obj) => 0;
    }
}
