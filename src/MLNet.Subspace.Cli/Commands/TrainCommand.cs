using System.CommandLine;
using Microsoft.ML;
using MLNet.Subspace.Data;
using MLNet.Subspace.Models;
using MLNet.Subspace.Models.Training;
using MLNet.Subspace.Torch;
using TorchSharp;

namespace MLNet.Subspace.Cli.Commands;

/// <summary><c>subspace train</c>: trains a zoo model on Fashion-MNIST or CIFAR-10 with per-epoch snapshots (rerun to resume).</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = $"Model spec: {string.Join(", ", ModelZoo.ValidNames)}.", DefaultValueFactory = _ => "smallcnn" };
        var dataset = new Option<string>("--dataset") { Description = "fashion-mnist or cifar10.", DefaultValueFactory = _ => "fashion-mnist" };
        var data = new Option<string?>("--data") { Description = "Folder with the dataset files (default: Debian's Fashion-MNIST folder; required for cifar10)." };
        var output = new Option<string>("--out") { Description = "Snapshot folder (epoch-NNN.pt/.optim.pt/.json); a rerun resumes from its last snapshot.", DefaultValueFactory = _ => "runs/train" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs.", DefaultValueFactory = _ => TrainerOptions.Defaults.Epochs };
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => TrainerOptions.Defaults.BatchSize };
        var lr = new Option<double>("--lr") { Description = "Initial learning rate (cosine schedule).", DefaultValueFactory = _ => TrainerOptions.Defaults.LearningRate };
        var fraction = new Option<double>("--fraction") { Description = "Class-balanced share of the training set, in (0, 1].", DefaultValueFactory = _ => TrainerOptions.Defaults.TrainingFraction };
        var augment = new Option<bool>("--augment") { Description = "Random crop (padding 4) and horizontal flip." };
        var seed = new Option<int>("--seed") { Description = "Seed of the initial weights, subset, shuffles and augmentation.", DefaultValueFactory = _ => TrainerOptions.Defaults.Seed };
        var command = new Command("train", "Train a zoo model with SGD, saving a snapshot every epoch; rerunning the same command resumes after an interruption.")
        {
            model, dataset, data, output, epochs, batch, lr, fraction, augment, seed,
        };
        command.SetAction(result =>
        {
            try
            {
                return Run(result, model, dataset, data, output, epochs, batch, lr, fraction, augment, seed);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        });
        return command;
    }

    private static int Run(ParseResult result, Option<string> model, Option<string> dataset, Option<string?> data, Option<string> output, Option<int> epochs,
        Option<int> batch, Option<double> lr, Option<double> fraction, Option<bool> augment, Option<int> seed)
    {
        string name = result.GetValue(dataset)!;
        string? folder = result.GetValue(data);
        var (train, test) = name switch
        {
            "fashion-mnist" => (IdxReader.LoadFashionMnist(folder, train: true), IdxReader.LoadFashionMnist(folder, train: false)),
            "cifar10" when folder is not null => (Cifar10Reader.LoadFolder(folder, train: true), Cifar10Reader.LoadFolder(folder, train: false)),
            _ => throw new ArgumentException($"The '--dataset' option must be fashion-mnist or cifar10 (with --data). Got '{name}' instead."),
        };
        Seeding.Apply(result.GetValue(seed));
        using var network = ModelZoo.Create(result.GetValue(model)!, train.Channels, train.Height, train.ClassNames.Count);
        var ml = new MLContext(result.GetValue(seed));
        ml.Log += (_, e) => { if (e.Source.Contains(nameof(Trainer)) && e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info) Console.WriteLine(e.Message); };
        string outFolder = result.GetValue(output)!;
        Directory.CreateDirectory(outFolder);
        var trainer = new Trainer(ml, new TrainerOptions
        {
            Epochs = result.GetValue(epochs),
            BatchSize = result.GetValue(batch),
            LearningRate = result.GetValue(lr),
            TrainingFraction = result.GetValue(fraction),
            Augment = result.GetValue(augment),
            Seed = result.GetValue(seed),
            SnapshotFolder = outFolder,
        });
        var outcome = trainer.Train(network, train, test);
        var last = outcome.Epochs[^1];
        Console.WriteLine($"{result.GetValue(model)} on {name}: test accuracy {last.TestAccuracy:P2} after {last.Epoch} epoch(s); snapshots in {Path.GetFullPath(outFolder)}.");
        return 0;
    }
}
