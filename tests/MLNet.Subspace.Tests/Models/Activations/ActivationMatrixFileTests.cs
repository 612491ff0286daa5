using System.Security.Cryptography;
using MLNet.Subspace.Models.Activations;

namespace MLNet.Subspace.Tests.Models.Activations;

public sealed class ActivationMatrixFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("amf-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static float[] Values(int n, int d) => Enumerable.Range(0, n * d).Select(i => MathF.Sin(i) * 1000).ToArray();

    [Fact]
    public void Rows_appended_in_blocks_read_back_bit_equal()
    {
        var values = Values(7, 5);
        string path = Path.Combine(_folder, "layer.f32");
        using (var writer = ActivationMatrixFile.Create(path, 5))
        {
            writer.Append(values.AsSpan(0, 15));
            writer.Append(values.AsSpan(15));
            Assert.Equal(7, writer.Rows);
            writer.Complete();
        }
        var (read, rows, columns) = ActivationMatrixFile.Read(path);
        Assert.Equal((7, 5), (rows, columns));
        Assert.Equal(values, read);
        Assert.Equal((7, 5), ActivationMatrixFile.Shape(path));
        var tensor = ActivationMatrixFile.ReadTensor(path);
        Assert.Equal(new long[] { 7, 5 }, tensor.shape);
        Assert.Equal(values, tensor.data<float>().ToArray());
        Assert.Single(Directory.GetFiles(_folder)); // no temporary file left
    }

    [Fact]
    public void Content_hash_is_sha256_of_values_then_dimensions_and_equals_the_writers()
    {
        var values = Values(4, 3);
        string path = Path.Combine(_folder, "a.f32");
        string written = ActivationMatrixFile.Write(path, values, 3);
        // Independent recomputation: the values' bytes, then N and d as little-endian int64.
        var bytes = values.SelectMany(BitConverter.GetBytes).Concat(BitConverter.GetBytes(4L)).Concat(BitConverter.GetBytes(3L)).ToArray();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), written);
        Assert.Equal(written, ActivationMatrixFile.ContentHash(path));
        // The same values as 3 x 4 are another matrix.
        Assert.NotEqual(written, ActivationMatrixFile.Write(Path.Combine(_folder, "b.f32"), values, 4));
    }

    [Fact]
    public void A_writer_disposed_without_completing_leaves_nothing()
    {
        string path = Path.Combine(_folder, "never.f32");
        using (var writer = ActivationMatrixFile.Create(path, 2)) writer.Append(new float[] { 1, 2 });
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Truncated_or_foreign_files_are_named()
    {
        string path = Path.Combine(_folder, "t.f32");
        ActivationMatrixFile.Write(path, Values(3, 2), 2);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        var e = Assert.Throws<InvalidDataException>(() => ActivationMatrixFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
        File.WriteAllText(path, "not a matrix at all, just some text here");
        Assert.Contains("not an activation matrix file", Assert.Throws<InvalidDataException>(() => ActivationMatrixFile.Shape(path)).Message);
        Assert.Throws<ArgumentException>(() => ActivationMatrixFile.Create(Path.Combine(_folder, "x.f32"), 3).Append(new float[4]));
    }
}

public sealed class LayerActivationsStreamTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("stream-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Streamed_layer_files_hold_the_values_Extract_keeps_in_memory()
    {
        using var model = MLNet.Subspace.Models.ModelZoo.Create("smallcnn-3-4", inputChannels: 1, imageSize: 8, classes: 3);
        model.eval();
        var random = new Random(4);
        var pixels = Enumerable.Range(0, 11 * 64).Select(_ => (float)random.NextDouble()).ToArray();
        var images = new MLNet.Subspace.Data.ImageDataset(pixels, Enumerable.Range(0, 11).Select(i => i % 3).ToArray(), 1, 8, 8, ["a", "b", "c"]);
        var layers = MLNet.Subspace.Models.LayerSelector.Select(model);

        var inMemory = LayerActivations.Extract(model, images, layers, batchSize: 4);
        var source = new TorchActivationSource(model, layers, images.ImageShape, MLNet.Subspace.Models.ActivationPooling.Flatten, TorchSharp.torch.CPU, "test images");
        var files = LayerActivations.Stream(source, images, layers.Select((_, l) => Path.Combine(_folder, $"layer-{l}.f32")).ToList(), batchSize: 4);

        Assert.Equal(inMemory.LayerNames, files.LayerNames);
        Assert.Equal(inMemory.Scores, files.Outputs.Scores);
        Assert.Equal(inMemory.Predictions, files.Outputs.Predictions);
        Assert.Empty(files.Outputs.LayerNames);
        for (int l = 0; l < layers.Count; l++)
        {
            var (values, rows, columns) = ActivationMatrixFile.Read(files.Paths[l]);
            Assert.Equal((11, inMemory.Size(l)), (rows, columns));
            Assert.Equal(inMemory.Values[l], values);
            Assert.Equal(ActivationMatrixFile.ContentHash(files.Paths[l]), files.Hashes[l]);
        }
        Assert.Equal(inMemory.Values, files.Load().Values);
    }
}
