namespace MLNet.Subspace.Cluster;

/// <summary>A worker slot that executes work units in its silo, one at a time; only the unit's JSON and the receipt's JSON travel.
/// Its key names the silo and slot it was placed on (<see cref="ClusterUnitRunner"/> places it there with a placement hint).</summary>
public interface IUnitWorkerGrain : IGrainWithStringKey
{
    /// <summary>Executes a <see cref="Pipeline.Units.WorkUnit"/> given as its JSON, against the silo's shared folder.</summary>
    /// <param name="unitJson"><see cref="Pipeline.Units.WorkUnit.ToJson"/>.</param>
    /// <param name="cancellationToken">Cancels the call (a started solve runs to its end; its result is still valid).</param>
    /// <returns><see cref="Pipeline.Units.UnitReceipt.ToJson"/> of the execution that wrote the result.</returns>
    [ResponseTimeout("12:00:00")] // a unit is one layer's solve: minutes at full scale, not the default 30 s
    Task<string> Execute(string unitJson, CancellationToken cancellationToken);
}
