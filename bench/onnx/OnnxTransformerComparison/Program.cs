// ML.NET's OnnxTransformer (ApplyOnnxModel) against OnnxActivationSource on the same ResNet18.onnx and the same N images
// (3x224x224, already prepared): rows per second reading the model's final output, and the source reading all 22 Conv
// outputs too. Also prints what ApplyOnnxModel says about the output's shape and about an intermediate tensor.
// Usage: OnnxTransformerComparison [images=32] [repeats=3]; one JSON line per measurement.
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Subspace.ML;
using MLNet.Subspace.Models.Activations;

int images = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 32;
int repeats = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
string model = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ResNet18Onnx").Value!;
const string Input = "Input247", Output = "Pooling395_Output_0";
var rng = new Random(1);
var pixels = Enumerable.Range(0, images * 3 * 224 * 224).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
var ml = new MLContext(1);
var data = InMemoryDataView.Create(images).AddVector(Input, pixels, [3, 224, 224]).Build();

using var transformer = ml.Transforms.ApplyOnnxModel(Output, Input, model).Fit(data);
var transformed = transformer.Transform(data);
Console.WriteLine($"# ApplyOnnxModel output column: {transformed.Schema[Output].Type}");
try
{
    ml.Transforms.ApplyOnnxModel("Convolution249_Output_0", Input, model).Fit(data);
}
catch (Exception e)
{
    Console.WriteLine($"# ApplyOnnxModel on an intermediate tensor: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
}

using var finalOnly = OnnxActivationSource.Open(model, new OnnxActivationOptions { OpTypes = ["AveragePool"] });
using var convs = OnnxActivationSource.Open(model);

double MlNet()
{
    var clock = Stopwatch.StartNew();
    var column = transformed.GetColumn<float[]>(Output).ToArray();
    clock.Stop();
    if (column.Length != images || column[0].Length != 512) throw new InvalidOperationException("unexpected output");
    return clock.Elapsed.TotalSeconds;
}

double Source(OnnxActivationSource source)
{
    var outputs = source.LayerSizes.Select(d => new float[images * d]).ToArray();
    var clock = Stopwatch.StartNew();
    source.Run(pixels, images, Enumerable.Repeat(true, outputs.Length).ToArray(), outputs!, null);
    clock.Stop();
    return clock.Elapsed.TotalSeconds;
}

// Equal outputs: the source's AveragePool node is the model's output.
var reference = transformed.GetColumn<float[]>(Output).ToArray();
var mine = new float[images * 512];
finalOnly.Run(pixels, images, [true], [mine], null);
double diff = Enumerable.Range(0, images).Max(i => reference[i].Select((v, j) => Math.Abs(v - mine[i * 512 + j])).Max());
Console.WriteLine($"# max |ApplyOnnxModel - OnnxActivationSource| on the final output: {diff:E2}");

MlNet(); Source(finalOnly); Source(convs); // warm-up
for (int r = 1; r <= repeats; r++)
{
    foreach (var (side, seconds) in new[] { ("mlnet-onnxtransformer", MlNet()), ("onnx-source-final", Source(finalOnly)), ("onnx-source-22-conv", Source(convs)) })
        Console.WriteLine(FormattableString.Invariant($"{{\"repeat\":{r},\"side\":\"{side}\",\"images\":{images},\"seconds\":{seconds:F3},\"ms_per_image\":{1000 * seconds / images:F1}}}"));
}
