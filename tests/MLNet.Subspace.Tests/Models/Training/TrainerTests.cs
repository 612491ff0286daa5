using System.Diagnostics;
using MLNet.Subspace.Data;
using MLNet.Subspace.Models;
using MLNet.Subspace.Models.Training;
using MLNet.Subspace.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.Models.Training;

[Collection(TorchGlobalRng.Name)]
public class TrainerTests
{
    private static readonly Lazy<(ImageDataset Train, ImageDataset Test)> FashionMnist = new(() =>
    {
        var train = IdxReader.LoadFashionMnist(TestPaths.FashionMnist, train: true);
        var test = IdxReader.LoadFashionMnist(TestPaths.FashionMnist, train: false);
        return (train, test.Select(Enumerable.Range(0, 500).ToArray()));
    });

    public TrainerTests()
    {
        // One intra-op thread: these tiny convolutions gain nothing from two, and on a shared, loaded
        // machine OpenMP's spinning made two threads ~6x slower (measured 27 s vs 4 s per epoch).
        torch.set_num_threads(1);
    }

    private static TrainerOptions Options(string folder, bool augment = false) => new()
    {
        Epochs = 2,
        BatchSize = 32,
        LearningRate = 0.1,
        WeightDecay = 5e-4,
        Augment = augment,
        CropPadding = 2,
        TrainingFraction = augment ? 0.01 : 0.1, // 600 (60 per class) or 6,000 (600 per class) images
        Seed = 11,
        SnapshotFolder = folder,
    };

    private static SmallCnn NewModel(int seed)
    {
        Seeding.Apply(seed);
        return new SmallCnn(inputChannels: 1, classes: 10, width: 8, convLayers: 3);
    }

    private static float[] Weights(nn.Module model)
        => model.state_dict().Where(kv => kv.Value.dtype == ScalarType.Float32).SelectMany(kv => kv.Value.data<float>().ToArray()).ToArray();

    private sealed class CancelAfterEpoch(int epoch, CancellationTokenSource source) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Completed?.Epoch == epoch) source.Cancel();
        }
    }

    [Fact]
    public void SmallCnn_Learns_FashionMnist_And_A_Resumed_Run_Continues_Identically()
    {
        // Given real Fashion-MNIST, a 4 % class-balanced training subset and a seeded recipe
        var (train, test) = FashionMnist.Value;
        using var folderA = new TempFolder();
        using var folderB = new TempFolder();
        var log = new List<string>();
        void Log(string line) { lock (log) log.Add(line); }

        // When one run trains two epochs uninterrupted
        var clock = Stopwatch.StartNew();
        using var uninterrupted = NewModel(5);
        var full = new Trainer(Options(folderA.Path), Log).Train(uninterrupted, train, test);
        var seconds = clock.Elapsed.TotalSeconds;

        // and another is interrupted after epoch 1, then resumed in a fresh process-like state
        using var cancel = new CancellationTokenSource();
        using (var interrupted = NewModel(5))
            Assert.ThrowsAny<OperationCanceledException>(() => new Trainer(Options(folderB.Path)).Train(interrupted, train, test, new CancelAfterEpoch(1, cancel), cancel.Token));
        using var resumed = NewModel(99); // other initial weights: the snapshot must replace them
        var continued = new Trainer(Options(folderB.Path), Log).Train(resumed, train, test);

        // Then the model reaches a usable accuracy after two short epochs (71.4 % on the first 500 test images when written; chance is 10 %)
        Assert.Equal(2, full.Epochs.Count);
        Assert.True(full.Epochs[^1].TestAccuracy >= 0.65, $"test accuracy {full.Epochs[^1].TestAccuracy:P1} after {seconds:F1} s");
        Assert.True(full.Epochs[^1].TrainLoss < full.Epochs[0].TrainLoss);
        Assert.Equal(6000, full.Epochs[0].TrainImages);
        // and the resumed run ends with exactly the weights of the uninterrupted one
        Assert.Equal(1, continued.ResumedFromEpoch);
        Assert.Equal(Weights(uninterrupted), Weights(resumed));
        Assert.Equal(full.Epochs[^1].TestAccuracy, continued.Epochs[^1].TestAccuracy);
        Assert.Equal(full.Epochs[0], continued.Epochs[0] with { Seconds = full.Epochs[0].Seconds });
        // and each epoch left a snapshot with its metrics, and the log heard about it
        foreach (string suffix in new[] { ".pt", ".optim.pt", ".json" })
            Assert.True(File.Exists(Path.Combine(folderA.Path, "epoch-002" + suffix)));
        Assert.Contains("\"TestAccuracy\"", File.ReadAllText(Path.Combine(folderA.Path, "epoch-002.json")));
        // and a snapshot gives its history back: epochs 1..2 for epoch 2, as the run returned them
        Assert.Equal(full.Epochs, Trainer.History(Path.Combine(folderA.Path, "epoch-002.pt")));
        Assert.Equal([full.Epochs[0]], Trainer.History(Path.Combine(folderA.Path, "epoch-001.pt")));
        Assert.Contains(log, m => m.Contains("Epoch 2/2"));
        Assert.Contains(log, m => m.Contains("Resumed from the snapshot of epoch 1"));
    }

    [Fact]
    public void An_Augmented_Run_Also_Resumes_Identically()
    {
        var (train, _) = FashionMnist.Value;
        using var folderA = new TempFolder();
        using var folderB = new TempFolder();
        using var uninterrupted = NewModel(2);
        new Trainer(Options(folderA.Path, augment: true)).Train(uninterrupted, train);

        using var cancel = new CancellationTokenSource();
        using (var interrupted = NewModel(2))
            Assert.ThrowsAny<OperationCanceledException>(() => new Trainer(Options(folderB.Path, augment: true)).Train(interrupted, train, null, new CancelAfterEpoch(1, cancel), cancel.Token));
        using var resumed = NewModel(3);
        var result = new Trainer(Options(folderB.Path, augment: true)).Train(resumed, train);

        Assert.Equal(1, result.ResumedFromEpoch);
        Assert.Equal(Weights(uninterrupted), Weights(resumed));
    }

    [Fact]
    public void History_Is_Null_Without_Metadata_And_Names_A_Corrupt_File()
    {
        using var folder = new TempFolder();
        string weights = folder.File("epoch-003.pt");
        File.WriteAllText(weights, "");

        Assert.Null(Trainer.History(weights));               // weights from elsewhere: no metrics, no error

        File.WriteAllText(folder.File("epoch-003.json"), "{\"Epoch\": 3,");
        var e = Assert.Throws<InvalidDataException>(() => Trainer.History(weights));
        Assert.Contains("epoch-003.json is corrupt", e.Message);
    }

    [Fact]
    public void Resuming_With_Other_Settings_Is_Refused()
    {
        var (train, _) = FashionMnist.Value;
        using var folder = new TempFolder();
        var options = Options(folder.Path);
        options.Epochs = 1;
        options.TrainingFraction = 0.005;
        using (var model = NewModel(1)) new Trainer(options).Train(model, train);

        options.Seed = 12;
        using var other = NewModel(1);
        var e = Assert.Throws<InvalidOperationException>(() => new Trainer(options).Train(other, train));
        Assert.Contains("other settings", e.Message);
    }

    [Fact]
    public void Resuming_On_Other_Images_Of_The_Same_Size_Is_Refused()
    {
        var (train, _) = FashionMnist.Value;
        using var folder = new TempFolder();
        var options = Options(folder.Path);
        options.Epochs = 1;
        options.TrainingFraction = 0.005;
        using (var model = NewModel(1)) new Trainer(options).Train(model, train);
        // Same count, shape, labels and classes: only the pixels differ.
        var inverted = new ImageDataset(train.Pixels.Select(v => 1 - v).ToArray(), train.Labels, train.Channels, train.Height, train.Width, train.ClassNames);

        using var other = NewModel(1);
        var e = Assert.Throws<InvalidOperationException>(() => new Trainer(options).Train(other, inverted));

        Assert.Contains("other training data", e.Message);
        Assert.Contains(inverted.ContentHash(), e.Message);
        using var same = NewModel(1);
        Assert.Equal(1, new Trainer(options).Train(same, train).ResumedFromEpoch); // the original data still resumes
    }

    [Fact]
    public void Subset_Is_Class_Balanced_Seeded_And_Proportional()
    {
        int[] labels = [.. Enumerable.Repeat(0, 100), .. Enumerable.Repeat(1, 50), .. Enumerable.Repeat(2, 10)];

        var a = Trainer.Subset(labels, 3, 0.1, seed: 4);
        var b = Trainer.Subset(labels, 3, 0.1, seed: 4);
        var c = Trainer.Subset(labels, 3, 0.1, seed: 5);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal([10, 5, 1], a.GroupBy(i => labels[i]).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal(a.Order(), a);
    }

    [Fact]
    public void Schedules_Follow_Their_Formulas()
    {
        var cosine = new TrainerOptions { Epochs = 10, LearningRate = 0.2, Schedule = LearningRateSchedule.Cosine };
        var step = new TrainerOptions { LearningRate = 0.2, Schedule = LearningRateSchedule.Step, StepEpochs = 3, Gamma = 0.5 };

        Assert.Equal(0.2, cosine.LearningRateAt(0), 12);
        Assert.Equal(0.1, cosine.LearningRateAt(5), 12);
        Assert.Equal(0.2 * 0.5 * (1 + Math.Cos(Math.PI * 0.9)), cosine.LearningRateAt(9), 12);
        Assert.Equal(0.2, step.LearningRateAt(2), 12);
        Assert.Equal(0.05, step.LearningRateAt(6), 12);
    }

    [Theory]
    [InlineData("Epochs", 0)]
    [InlineData("TrainingFraction", 0.0)]
    [InlineData("Momentum", 1.0)]
    public void Invalid_Options_Are_Rejected_With_Their_Name(string name, double value)
    {
        var options = new TrainerOptions();
        var property = typeof(TrainerOptions).GetProperty(name)!;
        property.SetValue(options, Convert.ChangeType(value, property.PropertyType));

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(options));

        Assert.Contains($"The '{name}' option of Trainer", e.Message);
    }
}
