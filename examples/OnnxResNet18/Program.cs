// A real pretrained network nobody here wrote: ML.NET's ImageNet-trained ResNet18.onnx (NuGet package
// Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1), analysed end to end on Fashion-MNIST probes. Each 28x28 grey probe is
// resized to 224x224, repeated over the three channels and ImageNet-normalised; every Conv output is averaged over
// H and W (flattening would take ~10 MB per probe); then SSC per layer, modularity, the SSC-CKA heatmap, block structure
// and report.html, as `subspace analyze --onnx` does.
// Run: dotnet run --project examples/OnnxResNet18 [-- <Fashion-MNIST folder> <run folder> <probes per class>]
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.ML;
using MLNet.Subspace.Data;
using MLNet.Subspace.Models;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Pipeline;
using MLNet.Subspace.Reporting;

string data = args.Length > 0 ? args[0] : IdxReader.DebianFashionMnistFolder;
string folder = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "mlnet-subspace-resnet18-onnx");
int perClass = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30;
string model = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ResNet18Onnx").Value!;

var nodes = OnnxActivationSource.ListNodes(model);
Console.WriteLine($"{Path.GetFileName(model)}: {nodes.Count} nodes ({string.Join(", ", nodes.GroupBy(n => n.OpType).Select(g => $"{g.Count()} {g.Key}"))})");

var test = IdxReader.LoadFashionMnist(data, train: false);
var onnx = new OnnxActivationOptions { Normalization = OnnxInputNormalization.ImageNet, Pooling = ActivationPooling.GlobalAverage, DataShape = test.ImageShape };

// The cost of one batch of 16 probes through the network (resize, 22 Conv outputs, pooling), timed apart from the run.
using (var source = OnnxActivationSource.Open(model, onnx))
{
    var batch = test.Select(Enumerable.Range(0, 16).ToArray());
    var warm = Stopwatch.StartNew();
    LayerActivations.Extract(source, batch, batchSize: 16);
    warm.Stop();
    var timed = Stopwatch.StartNew();
    LayerActivations.Extract(source, batch, batchSize: 16);
    Console.WriteLine($"16 probes (28x28 -> 3x224x224) through ResNet18.onnx, {source.LayerNames.Count} Conv outputs read, batched: {source.BatchesInputs}: "
        + $"{timed.Elapsed.TotalMilliseconds / 16:F0} ms per probe (first batch {warm.Elapsed.TotalMilliseconds / 16:F0} ms per probe)");
}

var options = new AnalysisRunOptions { ProbesPerClass = perClass, BatchSize = 16, Seed = 13 };
var clock = Stopwatch.StartNew();
var result = AnalysisRun.AnalyzeOnnx(new MLContext(13), model, onnx, test, folder, options);
clock.Stop();

var f = result.Findings;
Console.WriteLine(f.Description);
Console.WriteLine(f.Layerwise.Table.ToText(maxRows: 30));
Console.WriteLine($"depth-modularity correlation: {f.Layerwise.DepthModularityCorrelation:F3}");
Console.WriteLine(f.Architecture.BlockTable.ToText());
Console.WriteLine(f.Architecture.Matrix.ToText(maxRows: 30));
Console.WriteLine($"report: {result.ReportPath}");
Console.WriteLine($"{perClass * 10} probes through ResNet18.onnx and the whole analysis: {clock.Elapsed.TotalSeconds:F0} s");
