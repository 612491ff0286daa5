using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using MLNet.Subspace.Models;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Cli.Commands;

/// <summary>
/// <c>subspace bench-torch</c>: ResNet-18 (CIFAR stem, 32x32x3, 10 classes) throughput in images/s,
/// the TorchSharp side of bench/activations/run.sh (bench/activations/resnet18_torch.py is the PyTorch side).
/// </summary>
internal static class BenchTorchCommand
{
    public static Command Create()
    {
        var threads = (new Option<int>("--threads") { Description = "Intra-op threads (torch.set_num_threads), the same on both sides.", DefaultValueFactory = _ => 2 }).AtLeast(1);
        var batch = (new Option<int>("--batch") { Description = "Images per forward pass / SGD step.", DefaultValueFactory = _ => 128 }).AtLeast(1);
        var iterations = (new Option<int>("--iterations") { Description = "Timed batches per mode.", DefaultValueFactory = _ => 5 }).AtLeast(1);
        var warmup = (new Option<int>("--warmup") { Description = "Untimed batches before timing.", DefaultValueFactory = _ => 1 }).AtLeast(0);
        var mode = new Option<string>("--mode") { Description = "inference (hooks keep all 20 conv outputs, as the PyTorch script), extractor (ActivationExtractor's engine: every conv output copied into managed arrays), training, or all.", DefaultValueFactory = _ => "all" };
        var command = new Command("bench-torch", "ResNet-18 (32x32x3) images/s with all conv activations captured, and training, for comparison with PyTorch (bench/activations/run.sh).")
        {
            threads, batch, iterations, warmup, mode,
        };
        command.SetAction(result => Run(result.GetValue(threads), result.GetValue(batch), result.GetValue(iterations), result.GetValue(warmup), result.GetValue(mode)!));
        return command;
    }

    private static int Run(int threads, int batch, int iterations, int warmup, string mode)
    {
        string[] modes = mode == "all" ? ["inference", "extractor", "training"] : [mode];
        if (modes.Any(m => m is not ("inference" or "extractor" or "training")))
            throw new ArgumentException($"The '--mode' option must be inference, extractor, training or all. Got '{mode}' instead.");
        torch.set_num_threads(threads);
        Seeding.Apply(0);
        using var model = ResNet.Create(18);
        using var x = torch.randn(batch, 3, 32, 32);
        using var y = torch.randint(0, 10, [batch], ScalarType.Int64);
        foreach (var m in modes)
        {
            double[] seconds = m switch
            {
                "inference" => Inference(model, x, iterations, warmup),
                "extractor" => Extractor(model, x, iterations, warmup),
                _ => Training(model, x, y, iterations, warmup),
            };
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                side = "torchsharp",
                version = torch.__version__,
                mode = m,
                threads,
                batch,
                images_per_s = batch * seconds.Length / seconds.Sum(),
                best_images_per_s = batch / seconds.Min(),
            }));
        }
        return 0;
    }

    /// <summary>Seconds of each timed batch (the mean gives throughput; the minimum, the least disturbed batch on a shared machine).</summary>
    private static double[] Time(int iterations, int warmup, Action step)
    {
        var times = new List<double>();
        for (int it = 0; it < warmup + iterations; it++)
        {
            var clock = Stopwatch.StartNew();
            step();
            if (it >= warmup) times.Add(clock.Elapsed.TotalSeconds);
        }
        return times.ToArray();
    }

    /// <summary>Hooks on all 20 convs keep their output tensors (as the PyTorch script's list.append), released after each batch.</summary>
    private static double[] Inference(ResNet model, Tensor x, int iterations, int warmup)
    {
        model.eval();
        var kept = new List<Tensor>();
        using var hooks = new ForwardHookSet();
        foreach (var (_, module) in model.named_modules().Where(m => m.module is TorchSharp.Modules.Conv2d))
            hooks.Add((nn.Module<Tensor, Tensor>)module, output => kept.Add(output.DetachFromDisposeScope()));
        return Time(iterations, warmup, () =>
        {
            using var noGrad = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            model.call(x);
            if (kept.Count != 20) throw new InvalidOperationException($"Expected 20 conv outputs, captured {kept.Count}.");
            foreach (var t in kept) t.Dispose();
            kept.Clear();
        });
    }

    /// <summary>The extractor's own path: every conv output copied into managed float arrays, plus the scores.</summary>
    private static double[] Extractor(ResNet model, Tensor x, int iterations, int warmup)
    {
        var layers = LayerSelector.Select(model);
        var engine = new TorchActivationSource(model, layers, [3, 32, 32], ActivationPooling.Flatten, torch.CPU, "the benchmark input");
        int rows = (int)x.shape[0];
        var inputs = x.data<float>().ToArray();
        var outputs = engine.LayerSizes.Select(d => new float[(long)rows * d]).ToArray();
        var scores = new float[rows * engine.Classes];
        var all = Enumerable.Repeat(true, layers.Count).ToArray();
        return Time(iterations, warmup, () => engine.Run(inputs, rows, all, outputs!, scores));
    }

    private static double[] Training(ResNet model, Tensor x, Tensor y, int iterations, int warmup)
    {
        model.train();
        using var optimizer = torch.optim.SGD(model.parameters(), 0.1, 0.9, weight_decay: 5e-4);
        return Time(iterations, warmup, () =>
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(x), y);
            loss.backward();
            optimizer.step();
        });
    }
}
