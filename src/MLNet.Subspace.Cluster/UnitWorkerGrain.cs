using Microsoft.Extensions.Options;
using MLNet.Subspace.Pipeline.Units;
using Orleans.Runtime;

namespace MLNet.Subspace.Cluster;

/// <summary>Executes units off the silo's scheduler threads (a solve is minutes of CPU). Holds no state: a unit's inputs and result
/// are files in the shared folder, so an activation lost with its silo loses nothing but the unit in flight, which the client
/// reschedules.</summary>
internal sealed class UnitWorkerGrain(IOptions<UnitWorkerOptions> options, ILocalSiloDetails silo) : Grain, IUnitWorkerGrain
{
    public async Task<string> Execute(string unitJson, CancellationToken cancellationToken)
    {
        var unit = LayerGraphUnit.FromJson(unitJson);
        string shared = options.Value.SharedFolder;
        var receipt = await Task.Run(() => unit.Execute(shared, SiloName(silo)), cancellationToken);
        return receipt.ToJson();
    }

    /// <summary>The name receipts and progress bars show for a silo: its address and port, as membership lists it.</summary>
    internal static string SiloName(ILocalSiloDetails silo) => silo.SiloAddress.ToString();
}
