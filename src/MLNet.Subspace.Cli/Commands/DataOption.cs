using System.CommandLine;
using MLNet.Subspace.Data;

namespace MLNet.Subspace.Cli.Commands;

/// <summary>The <c>--data</c> option: which labelled image set to use.</summary>
internal static class DataOption
{
    public const string Help = "Image data: fashion-mnist (Debian's dataset-fashion-mnist), fashion-mnist:FOLDER, mnist:FOLDER (IDX files), "
        + "or cifar10:FOLDER (cifar-10-batches-bin).";

    public static Option<string> Create() => new("--data") { Description = Help, DefaultValueFactory = _ => "fashion-mnist" };

    /// <summary>Loads the training or test split named by <paramref name="spec"/>.</summary>
    public static ImageDataset Load(string spec, bool train)
    {
        int colon = spec.IndexOf(':');
        string kind = (colon < 0 ? spec : spec[..colon]).ToLowerInvariant();
        string? folder = colon < 0 ? null : spec[(colon + 1)..];
        return kind switch
        {
            "fashion-mnist" => IdxReader.LoadFashionMnist(folder, train),
            "mnist" when folder is not null => IdxReader.LoadSplit(folder, train),
            "cifar10" when folder is not null => Cifar10Reader.LoadFolder(folder, train),
            _ => throw new ArgumentException($"The --data value '{spec}' is not understood. {Help}"),
        };
    }
}
