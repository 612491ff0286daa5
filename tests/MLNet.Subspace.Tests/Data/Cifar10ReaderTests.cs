using MLNet.Subspace.Data;

namespace MLNet.Subspace.Tests.Data;

public class Cifar10ReaderTests
{
    [Fact]
    public void Decodes_Label_And_Channel_Planes_In_Order()
    {
        using var temp = new TempFolder();
        var record = new byte[Cifar10Reader.RecordSize * 2];
        record[0] = 3;                      // cat
        record[1] = 255;                    // red plane, pixel (0, 0)
        record[1 + 1024 + 33] = 51;         // green plane, pixel (1, 1)
        record[Cifar10Reader.RecordSize] = 9;
        File.WriteAllBytes(temp.File("batch.bin"), record);

        ImageDataset data = Cifar10Reader.Load(temp.File("batch.bin"));

        Assert.Equal(2, data.Count);
        Assert.Equal([3, 32, 32], data.ImageShape);
        Assert.Equal([3, 9], data.Labels);
        Assert.Equal("cat", data.ClassNames[3]);
        Assert.Equal(1f, data.Image(0)[0]);
        Assert.Equal(0.2f, data.Image(0)[1024 + 33], 6);
    }

    [Fact]
    public void Truncated_Batch_Names_File_And_Leftover_Bytes()
    {
        using var temp = new TempFolder();
        File.WriteAllBytes(temp.File("data_batch_1.bin"), new byte[Cifar10Reader.RecordSize + 100]);

        var e = Assert.Throws<DataFileException>(() => Cifar10Reader.Load(temp.File("data_batch_1.bin")));

        Assert.Equal(temp.File("data_batch_1.bin"), e.FilePath);
        Assert.Contains($"byte {Cifar10Reader.RecordSize}", e.Message);
        Assert.Contains("100 over", e.Message);
    }

    [Fact]
    public void Label_Above_Nine_Suggests_A_Cifar100_File()
    {
        using var temp = new TempFolder();
        var bytes = new byte[Cifar10Reader.RecordSize];
        bytes[0] = 42;
        File.WriteAllBytes(temp.File("b.bin"), bytes);

        var e = Assert.Throws<DataFileException>(() => Cifar10Reader.Load(temp.File("b.bin")));

        Assert.Contains("label 42", e.Message);
        Assert.Contains("CIFAR-100", e.Message);
    }
}
