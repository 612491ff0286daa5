namespace MLNet.Subspace.Cluster;

/// <summary>What a worker silo needs to execute units.</summary>
internal sealed class UnitWorkerOptions
{
    /// <summary>The shared folder as this silo's machine mounts it.</summary>
    public string SharedFolder { get; set; } = "";
}
