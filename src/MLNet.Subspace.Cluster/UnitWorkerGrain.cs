using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MLNet.Subspace.Pipeline.Units;
using Orleans.Runtime;

namespace MLNet.Subspace.Cluster;

/// <summary>Executes units off the silo's scheduler threads (a solve is minutes of CPU). Holds no state: a unit's inputs and result
/// are files in the shared folder, so an activation lost with its silo loses nothing but the unit in flight, which the client
/// reschedules.</summary>
internal sealed partial class UnitWorkerGrain(IOptions<UnitWorkerOptions> options, ILocalSiloDetails silo, ILogger<UnitWorkerGrain> log) : Grain, IUnitWorkerGrain
{
    public async Task<string> Execute(string unitJson, CancellationToken cancellationToken)
    {
        var unit = WorkUnit.FromJson(unitJson);
        string shared = options.Value.SharedFolder;
        Started(log, unit.Id, unit.Description);
        var receipt = await Task.Run(() => unit.Execute(shared, SubspaceCluster.SiloName(silo.SiloAddress)), cancellationToken);
        Finished(log, unit.Id, unit.Description, receipt.Worker, receipt.Seconds);
        return receipt.ToJson();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "unit {Unit} ({Description}) started")]
    private static partial void Started(ILogger logger, string unit, string description);

    [LoggerMessage(Level = LogLevel.Information, Message = "unit {Unit} ({Description}) done by {Worker} in {Seconds:F2} s")]
    private static partial void Finished(ILogger logger, string unit, string description, string worker, double seconds);
}
