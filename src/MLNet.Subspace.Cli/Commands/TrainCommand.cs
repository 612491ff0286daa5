using System.CommandLine;
using System.Globalization;
using MLNet.Subspace.Models;
using MLNet.Subspace.Models.Training;
using MLNet.Subspace.Pipeline;
using MLNet.Subspace.Torch;
using Spectre.Console;

namespace MLNet.Subspace.Cli.Commands;

/// <summary><c>subspace train</c>: train a zoo network with a snapshot per epoch (resumable).</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = DataOption.Create();
        var model = new Option<string>("--model") { Description = "Network: smallcnn-L-W, vggN, resnetN, wrn-D-K.", DefaultValueFactory = _ => AnalysisRunOptions.Defaults.Model };
        var output = new Option<string>("--out") { Description = "Snapshot folder (epoch-NNN.pt, .optim.pt, .json). Re-running resumes from the last snapshot.", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "Epochs.", DefaultValueFactory = _ => TrainerOptions.Defaults.Epochs };
        var batch = new Option<int>("--batch") { Description = "Mini-batch size.", DefaultValueFactory = _ => TrainerOptions.Defaults.BatchSize };
        var lr = new Option<double>("--lr") { Description = $"Initial learning rate (SGD, momentum {TrainerOptions.Defaults.Momentum}, weight decay {TrainerOptions.Defaults.WeightDecay}).", DefaultValueFactory = _ => TrainerOptions.Defaults.LearningRate };
        var schedule = new Option<LearningRateSchedule>("--schedule") { Description = "Learning-rate schedule.", DefaultValueFactory = _ => TrainerOptions.Defaults.Schedule };
        var fraction = new Option<double>("--fraction") { Description = "Share of the training split, class-balanced, in (0, 1].", DefaultValueFactory = _ => TrainerOptions.Defaults.TrainingFraction };
        var augment = new Option<bool>("--augment") { Description = $"Random crop (padding {TrainerOptions.Defaults.CropPadding}) and horizontal flip." };
        var seed = new Option<int>("--seed") { Description = "Seed of the subset, the shuffles, the augmentation and the initial weights.", DefaultValueFactory = _ => TrainerOptions.Defaults.Seed };
        var command = new Command("train", "Train a network on labelled images, saving a snapshot with its metrics after every epoch.")
            { data, model, output, epochs, batch, lr, schedule, fraction, augment, seed };
        command.SetAction(result =>
        {
            var options = new TrainerOptions
            {
                Epochs = result.GetValue(epochs), BatchSize = result.GetValue(batch), LearningRate = result.GetValue(lr), Schedule = result.GetValue(schedule),
                TrainingFraction = result.GetValue(fraction), Augment = result.GetValue(augment), Seed = result.GetValue(seed), SnapshotFolder = result.GetValue(output),
            };
            var trainer = new Trainer(options); // checks the options before the data is read or a network built
            var train = DataOption.Load(result.GetValue(data)!, train: true);
            var test = DataOption.Load(result.GetValue(data)!, train: false);
            using var network = Seeding.Initialize(options.Seed, () => ModelZoo.Create(result.GetValue(model)!, train.Channels, train.Height, train.ClassNames.Count));
            TrainingResult? outcome = null;
            AnsiConsole.Progress().AutoClear(false).Start(ctx =>
            {
                var task = ctx.AddTask("train", maxValue: 1);
                outcome = trainer.Train(network, train, test, new SynchronousProgress<TrainingProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.Epochs * p.Batches);
                    task.Value = (p.Epoch - 1) * p.Batches + p.Batch;
                    task.Description = $"epoch {p.Epoch}/{p.Epochs} loss {p.RunningLoss:0.000}";
                }));
                task.Value = task.MaxValue;
            });
            var table = new Table().AddColumns("epoch", "lr", "train loss", "train acc.", "test acc.", "seconds");
            foreach (var m in outcome!.Epochs)
                table.AddRow(m.Epoch.ToString(CultureInfo.InvariantCulture), m.LearningRate.ToString("0.####", CultureInfo.InvariantCulture), m.TrainLoss.ToString("0.000", CultureInfo.InvariantCulture),
                    m.TrainAccuracy.ToString("P1", CultureInfo.InvariantCulture), m.TestAccuracy?.ToString("P1", CultureInfo.InvariantCulture) ?? "-", m.Seconds.ToString("0.0", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
