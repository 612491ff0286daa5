using System.Diagnostics;
using MLNet.Subspace.Data;
using MLNet.Subspace.Models;
using MLNet.Subspace.Models.Activations;
using TorchSharp;
using static TorchSharp.torch;
// Plain forward pass of the 10,000 test images vs the streamed extraction (hooks + layer files), one resnet18-16 snapshot, one process.
// Usage: ForwardPass WEIGHTS.pt SCRATCH_FOLDER
var test = IdxReader.LoadFashionMnist(IdxReader.DebianFashionMnistFolder, train: false);
using var model = ModelZoo.Create("resnet18-16", 1, 28, 10);
ModelWeights.Load(model, args[0]);
model.eval();
int n = test.Count, batch = 128, d0 = test.ImageSize;
for (int rep = 0; rep < 2; rep++) {
var sw = Stopwatch.StartNew();
using (no_grad())
for (int s = 0; s < n; s += batch) {
  using var scope = NewDisposeScope();
  int rows = Math.Min(batch, n - s);
  var x = tensor(test.Pixels.AsSpan(s * d0, rows * d0).ToArray(), [rows, 1, 28, 28]);
  model.call(x).sum().item<float>();
}
Console.WriteLine($"plain forward {n}: {sw.Elapsed.TotalSeconds:F1}s");
sw.Restart();
var layers = LayerSelector.Select(model);
var source = new TorchActivationSource(model, layers, test.ImageShape, ActivationPooling.Flatten, CPU, "probes");
Directory.CreateDirectory(args[1]);
var files = LayerActivations.Stream(source, test, layers.Select((_, l) => Path.Combine(args[1], $"l{l}.f32")).ToList(), batch);
Console.WriteLine($"streamed extraction {n}: {sw.Elapsed.TotalSeconds:F1}s ({files.LayerNames.Count} layers)");
}
