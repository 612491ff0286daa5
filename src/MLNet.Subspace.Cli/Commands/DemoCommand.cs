using System.CommandLine;
using System.Diagnostics;
using MLNet.Subspace.Data;
using MLNet.Subspace.Models;
using MLNet.Subspace.Torch;
using TorchSharp;

namespace MLNet.Subspace.Cli.Commands;

/// <summary><c>subspace demo</c>: the README's main command, on built-in default data.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Folder with the Fashion-MNIST IDX files.", DefaultValueFactory = _ => IdxReader.DebianFashionMnistFolder };
        var batch = new Option<int>("--batch") { Description = "Probe inputs in the forward pass.", DefaultValueFactory = _ => 256 };
        var seed = new Option<int>("--seed") { Description = "Seed for sampling and weight initialisation.", DefaultValueFactory = _ => 1 };
        var command = new Command("demo", "Load Fashion-MNIST's test split, run a small CNN over a class-balanced batch and print a summary.") { data, batch, seed };
        command.SetAction(result => Run(result.GetValue(data)!, result.GetValue(batch), result.GetValue(seed)));
        return command;
    }

    private static int Run(string folder, int batchSize, int seed)
    {
        var clock = Stopwatch.StartNew();
        var random = Seeding.Apply(seed);
        var device = TorchDevice.Resolve();
        Console.WriteLine($"torch {torch.__version__} on {device}");

        ImageDataset test = IdxReader.LoadFashionMnist(folder, train: false);
        Console.WriteLine($"Fashion-MNIST test split: {test.Count} images of {string.Join("x", test.ImageShape)}, {test.ClassNames.Count} classes ({clock.ElapsedMilliseconds} ms)");

        int perClass = Math.Max(1, batchSize / test.ClassNames.Count);
        var probe = test.Select(ProbeSampling.ClassBalanced(test.Labels, test.ClassNames.Count, perClass, random));
        using var model = new SmallCnn(inputChannels: test.Channels, classes: test.ClassNames.Count);
        model.to(device).eval();

        var shapes = new List<(string Name, long[] Shape)>();
        var hooks = model.named_modules()
            .Where(m => m.module is TorchSharp.Modules.Conv2d)
            .Select(m => ((TorchSharp.Modules.Conv2d)m.module).register_forward_hook((_, _, output) => { shapes.Add((m.name, output.shape)); return output; }))
            .ToList();
        using (torch.no_grad())
        using (var scope = torch.NewDisposeScope())
        {
            var input = torch.tensor(probe.Pixels, [probe.Count, probe.Channels, probe.Height, probe.Width]).to(device);
            var logits = model.call(input);
            var predicted = logits.argmax(1).cpu().data<long>().ToArray();
            Console.WriteLine($"forward pass: {probe.Count} probes -> logits {string.Join("x", logits.shape)} ({clock.ElapsedMilliseconds} ms)");
            foreach (var (name, shape) in shapes) Console.WriteLine($"  {name,-16} {string.Join("x", shape)}");
            double agreement = predicted.Zip(probe.Labels).Count(p => p.First == p.Second) / (double)probe.Count;
            Console.WriteLine($"untrained accuracy on the probes: {agreement:P1} (chance is {1.0 / test.ClassNames.Count:P0})");
        }
        foreach (var hook in hooks) hook.remove();
        return 0;
    }
}
