using System.Globalization;
using System.Text.RegularExpressions;

namespace MLNet.Subspace.Models;

/// <summary>
/// Builds the zoo's networks from short spec strings, so the depth and width studies can be driven
/// from the command line: <c>smallcnn</c>, <c>smallcnn-L-W</c> (L conv layers, first width W),
/// <c>vgg11</c>/<c>vgg13</c>/<c>vgg16</c>/<c>vgg19</c> (optionally <c>-W</c> for the first width),
/// <c>resnet18</c>/<c>34</c>/<c>50</c>/<c>101</c>/<c>152</c> (optionally <c>-W</c>) and
/// <c>wrn-D-K</c> (WideResNet depth D = 6n + 4, widen factor K).
/// </summary>
public static partial class ModelZoo
{
    /// <summary>The accepted spec forms, as shown in errors and help text.</summary>
    public static IReadOnlyList<string> ValidNames { get; } =
    [
        "smallcnn", "smallcnn-L-W (e.g. smallcnn-4-16)",
        .. Vgg.StandardDepths.Keys.Select(d => $"vgg{d}"),
        .. ResNet.StandardDepths.Keys.Select(d => $"resnet{d}"),
        "wrn-D-K (D = 6n+4, e.g. wrn-16-4, wrn-28-10)",
        "(vgg and resnet take an optional -W suffix for the first stage's width, e.g. resnet18-32)",
    ];

    /// <summary>Creates a freshly initialised network from a spec string (case-insensitive).</summary>
    /// <param name="spec">E.g. "resnet18", "vgg11", "wrn-16-4", "smallcnn-4-16".</param>
    /// <param name="inputChannels">1 or 3.</param>
    /// <param name="imageSize">Height and width of the input (28 or 32).</param>
    /// <param name="classes">Number of classes.</param>
    /// <returns>The network (its parameters drawn from torch's global generator; for seeded weights create it inside <see cref="Torch.Seeding.Initialize"/>).</returns>
    /// <exception cref="ArgumentException">The spec names no known network; the message lists the valid ones.</exception>
    public static ImageClassifier Create(string spec, int inputChannels = 3, int imageSize = 32, int classes = 10)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string s = spec.Trim().ToLowerInvariant();
        var m = SpecPattern().Match(s);
        string? reason = null;
        if (m.Success)
        {
          try
          {
            string family = m.Groups["family"].Value;
            int? a = Number(m.Groups["a"]), b = Number(m.Groups["b"]);
            ImageClassifier? model = family switch
            {
                "smallcnn" when a is null && b is null => new SmallCnn(inputChannels, classes, imageSize: imageSize),
                "smallcnn-" when a is not null && b is not null => new SmallCnn(inputChannels, classes, width: b.Value, convLayers: a.Value, imageSize: imageSize),
                "vgg" when a is not null && Vgg.StandardDepths.ContainsKey(a.Value) => Vgg.Create(a.Value, inputChannels, imageSize, classes, b ?? 64),
                "resnet" when a is not null && ResNet.StandardDepths.ContainsKey(a.Value) => ResNet.Create(a.Value, inputChannels, imageSize, classes, b ?? 64),
                "wrn-" when a is not null && b is not null => new WideResNet(a.Value, b.Value, inputChannels, imageSize, classes),
                _ => null,
            };
            if (model is not null)
            {
                model.Spec = s;
                return model;
            }
          }
          catch (ArgumentOutOfRangeException e) when (e.ParamName is "depth" or "widenFactor" or "width" or "convLayers")
          {
              reason = e.Message;
          }
        }
        throw new ArgumentException($"Unknown model '{spec}'{(reason is null ? "" : $" ({reason})")}. Valid names: {string.Join(", ", ValidNames)}.", nameof(spec));
    }

    private static int? Number(Group g) => g.Success ? int.Parse(g.Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"^(?<family>smallcnn-?|vgg|resnet|wrn-)(?:(?<a>\d{1,4})(?:-(?<b>\d{1,4}))?)?$")]
    private static partial Regex SpecPattern();
}
