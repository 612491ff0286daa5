using static TorchSharp.torch;

namespace MLNet.Subspace.Pipeline.Units;

/// <summary>Executes units one after the other in this process, in the order given (what a run without a cluster uses).</summary>
/// <param name="sharedFolder">The folder the units' paths are relative to.</param>
/// <param name="device">Torch device of the dense work; null is the CPU.</param>
public sealed class LocalUnitRunner(string sharedFolder, Device? device = null) : IUnitRunner
{
    /// <summary>The worker name receipts of this runner carry.</summary>
    public const string WorkerName = "local";

    /// <inheritdoc/>
    public string SharedFolder { get; } = Path.GetFullPath(sharedFolder ?? throw new ArgumentNullException(nameof(sharedFolder)));

    /// <inheritdoc/>
    public Task<IReadOnlyList<UnitReceipt>> RunAsync(IReadOnlyList<WorkUnit> units, IProgress<UnitReceipt>? progress = null, CancellationToken cancellationToken = default)
    {
        UnitOrder.Check(units, SharedFolder);
        var receipts = new List<UnitReceipt>(units.Count);
        foreach (var unit in units)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var receipt = unit.Execute(SharedFolder, WorkerName, device);
            progress?.Report(receipt);
            receipts.Add(receipt);
        }
        return Task.FromResult<IReadOnlyList<UnitReceipt>>(receipts);
    }
}
