namespace MLNet.Subspace.Tests;

/// <summary>
/// Tests that seed torch's process-wide generator and then draw from it. They run one at a time,
/// apart from every other test, because a parallel test drawing in between would change their stream.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchRandomCollection
{
    public const string Name = "Torch global random stream";
}
