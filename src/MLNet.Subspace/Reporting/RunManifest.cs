namespace MLNet.Subspace.Reporting;

/// <summary>What a run was asked to do: written once to manifest.json in the run folder.</summary>
public sealed record RunManifest
{
    /// <summary>The command or analysis that made the run (e.g. "demo").</summary>
    public required string Command { get; init; }

    /// <summary>The seed every random choice derives from.</summary>
    public required int Seed { get; init; }

    /// <summary>Input files and data sets, by role.</summary>
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();

    /// <summary>Every option that changes the results, by name.</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>Library and runtime versions (filled in by <see cref="RunFolder.Open"/>).</summary>
    public IReadOnlyDictionary<string, string> Versions { get; init; } = new Dictionary<string, string>();

    /// <summary>True when two manifests ask for the same work (versions aside).</summary>
    /// <param name="other">The other manifest.</param>
    public bool SameWorkAs(RunManifest other)
        => Command == other.Command && Seed == other.Seed
           && Inputs.OrderBy(p => p.Key).SequenceEqual(other.Inputs.OrderBy(p => p.Key))
           && Options.OrderBy(p => p.Key).SequenceEqual(other.Options.OrderBy(p => p.Key));
}
