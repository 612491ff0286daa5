using Google.Protobuf;
using MLNet.Subspace.Models;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Torch;
using Xunit.Abstractions;

namespace MLNet.Subspace.Tests.Models;

/// <summary>
/// The ONNX activation source against the TorchSharp zoo on the fixture of bench/onnx/make_fixture.py: a PyTorch twin of
/// smallcnn-3-4 (1x8x8 inputs, 3 classes, random weights and batch-norm statistics) exported with a dynamic batch.
/// </summary>
[Collection(TorchGlobalRng.Name)]
public class OnnxActivationSourceTests(ITestOutputHelper output)
{
    private const int Rows = 20;
    private static string Model => TestPaths.Fixture("onnx", "smallcnn-3-4.onnx");
    private static string Weights => TestPaths.Fixture("onnx", "smallcnn-3-4.pth");

    private static float[] Inputs(int rows, int size, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, rows * size).Select(_ => (float)rng.NextDouble()).ToArray();
    }

    private static (float[][] Layers, float[] Scores, float[] Logits) RunAll(IActivationSource source, float[] inputs, int rows)
    {
        var layers = source.LayerSizes.Select(d => new float[rows * d]).ToArray();
        var scores = new float[rows * source.Classes];
        var logits = new float[rows * source.Classes];
        source.Run(inputs, rows, Enumerable.Repeat(true, layers.Length).ToArray(), layers!, scores, logits);
        return (layers, scores, logits);
    }

    private static double MaxAbs(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();
    }

    [Theory]
    [InlineData(null, "conv", ActivationPooling.Flatten)]
    [InlineData(null, "conv", ActivationPooling.GlobalAverage)]
    [InlineData("BatchNormalization", "bn", ActivationPooling.Flatten)]
    [InlineData("Relu", "relu", ActivationPooling.Flatten)]
    public void Activations_Equal_The_TorchSharp_Zoo_Network_With_The_Same_Weights(string? opType, string module, ActivationPooling pooling)
    {
        using var zoo = ModelZoo.Create("smallcnn-3-4", inputChannels: 1, imageSize: 8, classes: 3);
        ModelWeights.Load(zoo, Weights);
        var torchLayers = LayerSelector.Select(zoo, pattern: $@"features\.\d+\.{module}");
        var torchSource = new TorchActivationSource(zoo, torchLayers, [1, 8, 8], pooling, TorchSharp.torch.CPU, "the test inputs");
        using var onnx = OnnxActivationSource.Open(Model, new OnnxActivationOptions { OpTypes = opType is null ? null : [opType], Pooling = pooling });

        Assert.Equal(3, onnx.Layers.Count);
        Assert.Equal(torchSource.LayerShapes, onnx.LayerShapes);
        Assert.Equal(3, onnx.Classes);
        Assert.True(onnx.BatchesInputs);
        var inputs = Inputs(Rows, 64, 1);
        var expected = RunAll(torchSource, inputs, Rows);
        var actual = RunAll(onnx, inputs, Rows);
        double worst = 0;
        for (int l = 0; l < 3; l++)
        {
            double d = MaxAbs(expected.Layers[l], actual.Layers[l]);
            output.WriteLine($"{onnx.LayerNames[l]} ({onnx.Layers[l].OpType}) vs {torchLayers[l].Name}: max |diff| = {d:E2} (values up to {expected.Layers[l].Max(Math.Abs):F2})");
            worst = Math.Max(worst, d);
        }
        double scores = MaxAbs(expected.Scores, actual.Scores), logits = MaxAbs(expected.Logits, actual.Logits);
        output.WriteLine($"scores: {scores:E2}, logits: {logits:E2}");
        Assert.True(expected.Layers.All(v => v.Any(x => Math.Abs(x) > 0.1f)), "the fixture's activations are not trivial");
        Assert.InRange(worst, 0, 1e-4);
        Assert.InRange(scores, 0, 1e-4);
        Assert.InRange(logits, 0, 1e-4);
    }

    [Fact]
    public void Nodes_Are_Listed_With_Op_Types_And_The_Default_Selection_Is_Every_Conv()
    {
        var nodes = OnnxActivationSource.ListNodes(Model);
        // features.0..2: Conv, BatchNormalization, Relu (+ MaxPool in block 1); GlobalAveragePool, Flatten, Gemm.
        Assert.Equal(["Conv", "BatchNormalization", "Relu", "Conv", "BatchNormalization", "Relu", "MaxPool", "Conv", "BatchNormalization", "Relu", "GlobalAveragePool", "Flatten", "Gemm"],
            nodes.Select(n => n.OpType).ToArray());
        using var source = OnnxActivationSource.Open(Model);
        Assert.Equal(nodes.Where(n => n.OpType == "Conv").Select(n => n.Name), source.LayerNames);
        Assert.Equal([[4, 8, 8], [4, 8, 8], [8, 4, 4]], source.LayerShapes);
        Assert.Equal([256, 256, 128], source.LayerSizes);
        Assert.Equal([1, 8, 8], source.InputShape);
        Assert.All(source.Nodes.Where(n => n.OpType == "Conv"), n => Assert.NotNull(n.Shape));
    }

    [Fact]
    public void Layers_Are_Selected_By_Name_Output_Name_And_Pattern()
    {
        var convs = OnnxActivationSource.ListNodes(Model).Where(n => n.OpType == "Conv").ToArray();
        using var byName = OnnxActivationSource.Open(Model, new OnnxActivationOptions { LayerNames = [convs[2].Name, convs[0].Output] });
        Assert.Equal([convs[0].Name, convs[2].Name], byName.LayerNames); // graph order
        using var byPattern = OnnxActivationSource.Open(Model, new OnnxActivationOptions { LayerPattern = @"/features\.1/.*" });
        Assert.Equal(["Conv", "BatchNormalization", "Relu", "MaxPool"], byPattern.Layers.Select(n => n.OpType));
        using var gemm = OnnxActivationSource.Open(Model, new OnnxActivationOptions { OpTypes = ["Gemm"] });
        Assert.Equal([3], gemm.LayerSizes);
    }

    [Fact]
    public void A_File_That_Is_Not_Onnx_Is_Refused_By_Name()
    {
        string path = Path.Combine(Path.GetTempPath(), $"not-a-model-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(path, "this is a text file, not a protobuf ModelProto\n");
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => OnnxActivationSource.Open(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("is not an ONNX model", e.Message);
            Assert.Contains(path, Assert.Throws<InvalidDataException>(() => OnnxActivationSource.ListNodes(path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Contains("does not exist", Assert.Throws<FileNotFoundException>(() => OnnxActivationSource.Open(path)).Message);
    }

    [Fact]
    public void An_Unknown_Node_Lists_The_Available_Ones()
    {
        var e = Assert.Throws<ArgumentException>(() => OnnxActivationSource.Open(Model, new OnnxActivationOptions { LayerNames = ["/features.9/conv/Conv"] }));
        Assert.Contains("Unknown node '/features.9/conv/Conv'", e.Message);
        Assert.Contains("/features.0/conv/Conv (Conv", e.Message);
        Assert.Contains("/classifier/Gemm (Gemm", e.Message);
        var none = Assert.Throws<ArgumentException>(() => OnnxActivationSource.Open(Model, new OnnxActivationOptions { OpTypes = ["LSTM"] }));
        Assert.Contains("Conv (3)", none.Message);
    }

    [Fact]
    public void Wrong_Input_Shapes_And_Dims_It_Cannot_Infer_Are_Refused()
    {
        var wrong = Assert.Throws<ArgumentException>(() => OnnxActivationSource.Open(Model, new OnnxActivationOptions { ModelInputShape = [3, 8, 8] }));
        Assert.Contains("does not fit input 'input'", wrong.Message);
        Assert.Contains("[N, 1, 8, 8]", wrong.Message);
        var channels = Assert.Throws<ArgumentException>(() => OnnxActivationSource.Open(Model, new OnnxActivationOptions { DataShape = [2, 8, 8] }));
        Assert.Contains("only one grey channel", channels.Message);
        Assert.Contains("ImageNet normalisation needs a 3-channel", Assert.Throws<ArgumentException>(
            () => OnnxActivationSource.Open(Model, new OnnxActivationOptions { Normalization = OnnxInputNormalization.ImageNet })).Message);

        // The same model with height and width left symbolic: refused unless ModelInputShape says them.
        var proto = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Model));
        var dims = proto.Graph.Input[0].Type.TensorType.Shape.Dim;
        dims[2].DimParam = "H";
        dims[3].DimParam = "W";
        var bytes = proto.ToByteArray();
        var dynamic = Assert.Throws<ArgumentException>(() => new OnnxActivationSource(bytes, null, "dynamic.onnx"));
        Assert.Contains("dynamic dimensions [N, 1, ?, ?] that cannot be inferred", dynamic.Message);
        Assert.Contains("ModelInputShape", dynamic.Message);
        using var given = new OnnxActivationSource(bytes, new OnnxActivationOptions { ModelInputShape = [1, 8, 8] }, "dynamic.onnx");
        Assert.Equal([4, 8, 8], given.LayerShapes[0]);

        using var source = OnnxActivationSource.Open(Model);
        Assert.Throws<ArgumentException>(() => source.Run(new float[64], 2, [true, true, true], [new float[512], new float[512], new float[256]], null));
    }

    [Fact]
    public void A_Graph_That_Pins_Batch_One_Runs_Inputs_One_At_A_Time_With_The_Same_Results()
    {
        using var source = OnnxActivationSource.Open(TestPaths.Fixture("onnx", "bad-batch.onnx"));
        Assert.False(source.BatchesInputs);
        var inputs = Inputs(5, 64, 2);
        var batch = RunAll(source, inputs, 5);
        for (int r = 0; r < 5; r++)
        {
            var single = RunAll(source, inputs[(r * 64)..((r + 1) * 64)], 1);
            Assert.Equal(single.Layers[0], batch.Layers[0][(r * 128)..((r + 1) * 128)]);
            Assert.Equal(single.Scores, batch.Scores[(r * 3)..((r + 1) * 3)]);
        }
    }

    [Fact]
    public void Probes_Are_Resized_Bilinearly_To_The_Model_Input()
    {
        // 1x4x4 -> 1x8x8 with align_corners = false: output index o reads source (o + 0.5) / 2 - 0.5, clamped at the edges.
        var inputs = Inputs(3, 16, 3);
        var resized = new float[3 * 64];
        for (int r = 0; r < 3; r++)
            for (int y = 0; y < 8; y++)
                for (int x = 0; x < 8; x++)
                {
                    var (y0, y1, wy) = Source(y);
                    var (x0, x1, wx) = Source(x);
                    float At(int yy, int xx) => inputs[r * 16 + yy * 4 + xx];
                    resized[r * 64 + y * 8 + x] = (float)((1 - wy) * ((1 - wx) * At(y0, x0) + wx * At(y0, x1)) + wy * ((1 - wx) * At(y1, x0) + wx * At(y1, x1)));
                }
        using var direct = OnnxActivationSource.Open(Model);
        using var small = OnnxActivationSource.Open(Model, new OnnxActivationOptions { DataShape = [1, 4, 4] });
        Assert.Equal([1, 4, 4], small.InputShape);
        var expected = RunAll(direct, resized, 3);
        var actual = RunAll(small, inputs, 3);
        Assert.InRange(MaxAbs(expected.Layers[0], actual.Layers[0]), 0, 1e-5);
        Assert.InRange(MaxAbs(expected.Scores, actual.Scores), 0, 1e-6);

        static (int Lo, int Hi, double Weight) Source(int o)
        {
            double s = Math.Max((o + 0.5) / 2 - 0.5, 0);
            int lo = (int)Math.Floor(s);
            return (lo, Math.Min(lo + 1, 3), s - lo);
        }
    }

    [Fact]
    public void Concurrent_Runs_Give_The_Serial_Results_And_A_Disposed_Source_Refuses()
    {
        var source = OnnxActivationSource.Open(Model);
        var inputs = Enumerable.Range(0, 4).Select(i => Inputs(7, 64, 10 + i)).ToArray();
        var serial = inputs.Select(x => RunAll(source, x, 7).Layers[2]).ToArray();
        var parallel = new float[4][];
        Parallel.For(0, 4, i => parallel[i] = RunAll(source, inputs[i], 7).Layers[2]);
        for (int i = 0; i < 4; i++) Assert.Equal(serial[i], parallel[i]);
        source.Dispose();
        source.Dispose();
        Assert.Throws<ObjectDisposedException>(() => RunAll(source, inputs[0], 7));
    }
}
