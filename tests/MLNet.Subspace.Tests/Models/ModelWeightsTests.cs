using MLNet.Subspace.Data;
using MLNet.Subspace.Models;
using MLNet.Subspace.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.Models;

[Collection(TorchGlobalRng.Name)]
public class ModelWeightsTests
{
    private const string Stem = "smallcnn-1x8x8-w2-l2-c3";

    private static SmallCnn FixtureArchitecture(int width = 2) => new(inputChannels: 1, classes: 3, width: width, convLayers: 2, imageSize: 8);

    private static float[] Logits(nn.Module<Tensor, Tensor> model, Matrix input)
    {
        model.eval();
        using var _ = no_grad();
        using var x = torch.tensor(input.Values.Select(v => (float)v).ToArray(), [input.Rows, 1, 8, 8]);
        return model.call(x).data<float>().ToArray();
    }

    [Theory]
    [InlineData(".pth")]
    [InlineData(".safetensors")]
    public void Loaded_PyTorch_Weights_Reproduce_PyTorchs_Logits(string extension)
    {
        // Given a state_dict and the logits PyTorch computed with it (Fixtures/weights/make_fixtures.py)
        var input = CsvMatrix.Read(TestPaths.Fixture("weights", "input.csv"));
        var expected = CsvMatrix.Read(TestPaths.Fixture("weights", "logits.csv"));
        using var model = FixtureArchitecture();

        // When the file is loaded into the same architecture
        ModelWeights.Load(model, TestPaths.Fixture("weights", Stem + extension));

        // Then the forward pass agrees with PyTorch's
        var got = Logits(model, input);
        for (int i = 0; i < got.Length; i++) Assert.Equal(expected.Values[i], got[i], 5);
    }

    [Fact]
    public void TorchSharp_Format_Round_Trips()
    {
        using var folder = new TempFolder();
        var input = CsvMatrix.Read(TestPaths.Fixture("weights", "input.csv"));
        using var source = FixtureArchitecture();
        ModelWeights.Load(source, TestPaths.Fixture("weights", Stem + ".pth"));

        ModelWeights.Save(source, folder.File("w.pt"));
        using var copy = FixtureArchitecture();
        ModelWeights.Load(copy, folder.File("w.pt"));

        Assert.Equal(Logits(source, input), Logits(copy, input));
    }

    [Fact]
    public void PyTorch_Export_Round_Trips()
    {
        using var folder = new TempFolder();
        Seeding.Apply(3);
        using var source = FixtureArchitecture();
        ModelWeights.SavePyTorch(source, folder.File("w.pth"));
        using var copy = FixtureArchitecture();
        ModelWeights.Load(copy, folder.File("w.pth"));

        var input = CsvMatrix.Read(TestPaths.Fixture("weights", "input.csv"));
        Assert.Equal(Logits(source, input), Logits(copy, input));
    }

    [Theory]
    [InlineData(".pth")]
    [InlineData(".safetensors")]
    public void Mismatched_Weights_Name_The_First_Parameter_And_Both_Shapes(string extension)
    {
        using var model = FixtureArchitecture(width: 4);

        var e = Assert.Throws<InvalidDataException>(() => ModelWeights.Load(model, TestPaths.Fixture("weights", Stem + extension)));

        Assert.Contains("'features.0.conv.weight'", e.Message);
        Assert.Contains("[4, 1, 3, 3] in the model but [2, 1, 3, 3] in the file", e.Message);
    }

    [Fact]
    public void A_Weights_File_Of_Another_Architecture_Names_The_Missing_Parameter()
    {
        using var model = ResNet.Create(18, inputChannels: 1, imageSize: 8, classes: 3, width: 2);

        var e = Assert.Throws<InvalidDataException>(() => ModelWeights.Load(model, TestPaths.Fixture("weights", Stem + ".pth")));

        Assert.Contains("'conv1.weight'", e.Message);
        Assert.Contains("missing from the file", e.Message);
    }

    [Theory]
    [InlineData(".pth", 200)]
    [InlineData(".pth", 5)]
    [InlineData(".safetensors", 300)]
    [InlineData(".pt", 100)]
    public void Truncated_Files_Are_Reported_As_Corrupt(string extension, int keep)
    {
        using var folder = new TempFolder();
        using var model = FixtureArchitecture();
        string source = extension == ".pt" ? folder.File("full.pt") : TestPaths.Fixture("weights", Stem + extension);
        if (extension == ".pt") ModelWeights.Save(model, source);
        File.WriteAllBytes(folder.File("cut" + extension), File.ReadAllBytes(source).Take(keep).ToArray());

        var e = Assert.Throws<InvalidDataException>(() => ModelWeights.Load(model, folder.File("cut" + extension)));

        Assert.Contains("corrupt", e.Message);
    }

    [Fact]
    public void Random_Bytes_Are_Reported_As_Corrupt()
    {
        using var folder = new TempFolder();
        var bytes = new byte[4096];
        new Random(1).NextBytes(bytes);
        File.WriteAllBytes(folder.File("noise.bin"), bytes);
        using var model = FixtureArchitecture();

        Assert.Throws<InvalidDataException>(() => ModelWeights.Load(model, folder.File("noise.bin")));
    }
}
