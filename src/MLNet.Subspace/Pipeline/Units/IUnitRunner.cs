namespace MLNet.Subspace.Pipeline.Units;

/// <summary>
/// Executes work units whose inputs and results live in a shared folder: <see cref="LocalUnitRunner"/> in this process, the
/// cluster runner (MLNet.Subspace.Cluster) on Orleans silos. Both execute the same <see cref="WorkUnit.Execute"/>, so
/// they write the same result bytes (docs/distributed.md: with the same torch thread count).
/// </summary>
public interface IUnitRunner
{
    /// <summary>The shared folder as this process sees it; the units' paths are relative to it.</summary>
    string SharedFolder { get; }

    /// <summary>Executes every unit that is not done yet, each once its <see cref="WorkUnit.Prerequisites"/> are; when it returns,
    /// every unit's result and receipt are in the shared folder.</summary>
    /// <param name="units">The units (distinct ids), each after its prerequisites (<see cref="UnitOrder.Check"/>).</param>
    /// <param name="progress">Receives each unit's receipt as it is done (also those found done), or null.</param>
    /// <param name="cancellationToken">Stops scheduling; results already written stay.</param>
    /// <returns>The receipts, in the order of <paramref name="units"/>.</returns>
    Task<IReadOnlyList<UnitReceipt>> RunAsync(IReadOnlyList<WorkUnit> units, IProgress<UnitReceipt>? progress = null, CancellationToken cancellationToken = default);
}
