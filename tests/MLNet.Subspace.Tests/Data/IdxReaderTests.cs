using System.Buffers.Binary;
using System.IO.Compression;
using MLNet.Subspace.Data;

namespace MLNet.Subspace.Tests.Data;

public class IdxReaderTests
{
    [Fact]
    public void Loads_Real_FashionMnist_Test_Split_Balanced_And_Scaled()
    {
        ImageDataset test = IdxReader.LoadFashionMnist(TestPaths.FashionMnist, train: false);

        Assert.Equal(10_000, test.Count);
        Assert.Equal([1, 28, 28], test.ImageShape);
        Assert.All(test.ClassCounts(), c => Assert.Equal(1_000, c));
        Assert.Equal("Ankle boot", test.ClassNames[test.Labels[0]]);
        Assert.InRange(test.Pixels.Min(), 0f, 0f);
        Assert.InRange(test.Pixels.Max(), 1f, 1f);
        // Fashion-MNIST's test-set mean intensity is about 0.286.
        Assert.InRange(test.Pixels.Average(), 0.27, 0.30);
    }

    [Fact]
    public void Loads_Real_FashionMnist_Train_Split()
    {
        ImageDataset train = IdxReader.LoadFashionMnist(TestPaths.FashionMnist, train: true);

        Assert.Equal(60_000, train.Count);
        Assert.All(train.ClassCounts(), c => Assert.Equal(6_000, c));
    }

    [Fact]
    public void Raw_And_Gzip_Files_Decode_To_The_Same_Values()
    {
        using var temp = new TempFolder();
        byte[] pixels = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 10)).ToArray();
        WriteIdx(temp.File("img"), [2, 3, 4], pixels);
        WriteIdx(temp.File("img.gz"), [2, 3, 4], pixels, gzip: true);
        WriteIdx(temp.File("lab"), [2], [1, 0]);

        var raw = IdxReader.Load(temp.File("img"), temp.File("lab"));
        var gz = IdxReader.Load(temp.File("img.gz"), temp.File("lab"));

        Assert.Equal(raw.Pixels, gz.Pixels);
        Assert.Equal([1, 3, 4], raw.ImageShape);
        Assert.Equal(pixels[5] / 255f, raw.Pixels[5]);
        Assert.Equal([1, 0], raw.Labels);
    }

    [Fact]
    public void Truncated_File_Names_File_Position_And_Expected_Size()
    {
        using var temp = new TempFolder();
        WriteIdx(temp.File("img"), [2, 3, 4], new byte[24]);
        byte[] all = File.ReadAllBytes(temp.File("img"));
        File.WriteAllBytes(temp.File("img"), all[..^5]);

        var e = Assert.Throws<DataFileException>(() => IdxReader.ReadBytes(temp.File("img")));

        Assert.Equal(temp.File("img"), e.FilePath);
        Assert.Contains("byte 35", e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("2x3x4 = 24 values", e.Message);
    }

    [Fact]
    public void Wrong_Magic_Number_Is_Reported()
    {
        using var temp = new TempFolder();
        File.WriteAllBytes(temp.File("notidx"), [0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0]);

        var e = Assert.Throws<DataFileException>(() => IdxReader.ReadBytes(temp.File("notidx")));

        Assert.Contains("byte 0", e.Message);
        Assert.Contains("magic number", e.Message);
    }

    [Fact]
    public void Non_Byte_Idx_Type_Is_Reported()
    {
        using var temp = new TempFolder();
        File.WriteAllBytes(temp.File("floats"), [0, 0, 0x0D, 1, 0, 0, 0, 0]);

        var e = Assert.Throws<DataFileException>(() => IdxReader.ReadBytes(temp.File("floats")));

        Assert.Contains("byte 2", e.Message);
        Assert.Contains("0x0D", e.Message);
    }

    [Fact]
    public void Mismatched_Image_And_Label_Counts_Are_Reported()
    {
        using var temp = new TempFolder();
        WriteIdx(temp.File("img"), [3, 2, 2], new byte[12]);
        WriteIdx(temp.File("lab"), [2], [0, 1]);

        var e = Assert.Throws<DataFileException>(() => IdxReader.Load(temp.File("img"), temp.File("lab")));

        Assert.Equal(temp.File("lab"), e.FilePath);
        Assert.Contains("2 labels", e.Message);
        Assert.Contains("3 images", e.Message);
    }

    [Fact]
    public void Label_Outside_The_Classes_Is_Reported()
    {
        using var temp = new TempFolder();
        WriteIdx(temp.File("img"), [2, 2, 2], new byte[8]);
        WriteIdx(temp.File("lab"), [2], [0, 12]);

        var e = Assert.Throws<DataFileException>(() => IdxReader.Load(temp.File("img"), temp.File("lab")));

        Assert.Contains("label 12", e.Message);
        Assert.Contains("label 1)", e.Message);
    }

    [Fact]
    public void Corrupt_Gzip_Is_Reported_As_A_Data_File_Error()
    {
        using var temp = new TempFolder();
        WriteIdx(temp.File("img.gz"), [2, 3, 4], new byte[24], gzip: true);
        byte[] bytes = File.ReadAllBytes(temp.File("img.gz"));
        for (int i = 12; i < bytes.Length - 8; i++) bytes[i] ^= 0x5A;
        File.WriteAllBytes(temp.File("img.gz"), bytes);

        var e = Assert.ThrowsAny<DataFileException>(() => IdxReader.ReadBytes(temp.File("img.gz")));

        Assert.Equal(temp.File("img.gz"), e.FilePath);
    }

    /// <summary>A folder in the Fashion-MNIST layout holding other data: 10 random 4x4 images and labels per split.</summary>
    internal static void WriteOtherDataSet(TempFolder temp)
    {
        var rng = new Random(3);
        foreach (string prefix in new[] { "train", "t10k" })
        {
            WriteIdx(temp.File($"{prefix}-images-idx3-ubyte"), [10, 4, 4], Enumerable.Range(0, 160).Select(_ => (byte)rng.Next(256)).ToArray());
            WriteIdx(temp.File($"{prefix}-labels-idx1-ubyte"), [10], Enumerable.Range(0, 10).Select(i => (byte)(9 - i)).ToArray());
        }
    }

    [Fact]
    public void Other_Data_In_The_FashionMnist_Layout_Gets_Generic_Class_Names_Or_The_Given_Ones()
    {
        using var temp = new TempFolder();
        WriteOtherDataSet(temp);

        Assert.Equal(IdxReader.DigitClassNames, IdxReader.LoadFashionMnist(temp.Path).ClassNames);
        Assert.Equal(IdxReader.DigitClassNames, IdxReader.LoadFashionMnist(temp.Path, train: true).ClassNames);
        string[] names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        Assert.Equal(names, IdxReader.LoadFashionMnist(temp.Path, classNames: names).ClassNames);
    }

    [Fact]
    public void FashionMnist_Is_Recognised_By_Its_Labels_In_Any_Folder_Raw_Or_Gzip()
    {
        using var temp = new TempFolder();
        foreach (string stem in new[] { "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
        {
            using var source = new GZipStream(File.OpenRead(Path.Combine(TestPaths.FashionMnist, stem + ".gz")), CompressionMode.Decompress);
            using var target = File.Create(temp.File(stem));
            source.CopyTo(target);
        }

        Assert.Equal(IdxReader.FashionMnistClassNames, IdxReader.LoadFashionMnist(temp.Path).ClassNames);
        Assert.True(FashionMnistSplits.Matches(IdxReader.LoadFashionMnist(TestPaths.FashionMnist).Labels, train: false));
        Assert.False(FashionMnistSplits.Matches(IdxReader.LoadFashionMnist(TestPaths.FashionMnist).Labels, train: true));
        // One label changed: not Fashion-MNIST's split any more.
        var labels = IdxReader.LoadFashionMnist(temp.Path).Labels.ToArray();
        labels[5000] = (labels[5000] + 1) % 10;
        Assert.False(FashionMnistSplits.Matches(labels, train: false));
    }

    [Fact]
    public void Missing_FashionMnist_Folder_Says_How_To_Install_It()
    {
        var e = Assert.Throws<FileNotFoundException>(() => IdxReader.LoadFashionMnist("/nonexistent/fashion"));

        Assert.Contains("apt-get install -y dataset-fashion-mnist", e.Message);
    }

    [Fact]
    public void A_Split_In_The_Mnist_Layout_Loads_From_Raw_Or_Gzip_Files_With_Digit_Names()
    {
        using var temp = new TempFolder();
        WriteIdx(temp.File("t10k-images-idx3-ubyte.gz"), [2, 2, 2], [0, 255, 0, 0, 0, 0, 51, 0], gzip: true);
        WriteIdx(temp.File("t10k-labels-idx1-ubyte"), [2], [3, 9]);

        var test = IdxReader.LoadSplit(temp.Path, train: false);
        var e = Assert.Throws<FileNotFoundException>(() => IdxReader.LoadSplit(temp.Path, train: true));

        Assert.Equal([3, 9], test.Labels);
        Assert.Equal(1f, test.Pixels[1]);
        Assert.Equal(0.2f, test.Pixels[6], 6);
        Assert.Equal("9", test.ClassNames[9]);
        Assert.Contains($"'train-images-idx3-ubyte[.gz]' not found in {temp.Path}", e.Message);
    }

    internal static void WriteIdx(string path, int[] dims, byte[] values, bool gzip = false)
    {
        using var buffer = new MemoryStream();
        buffer.Write([0, 0, 0x08, (byte)dims.Length]);
        Span<byte> word = stackalloc byte[4];
        foreach (int d in dims)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, d);
            buffer.Write(word);
        }
        buffer.Write(values);
        if (!gzip)
        {
            File.WriteAllBytes(path, buffer.ToArray());
            return;
        }
        using var file = File.Create(path);
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        zip.Write(buffer.ToArray());
    }
}
