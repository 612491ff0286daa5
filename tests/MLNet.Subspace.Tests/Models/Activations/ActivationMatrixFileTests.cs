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
