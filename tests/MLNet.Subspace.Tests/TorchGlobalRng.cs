namespace MLNet.Subspace.Tests;

/// <summary>
/// Tests that seed torch's global generator (model initialisation draws from it) run one at a time,
/// apart from every other test, or another test's draws would shift their stream.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGlobalRng
{
    /// <summary>The collection name.</summary>
    public const string Name = "Torch global generator";
}
