namespace MLNet.Subspace.Tests;

/// <summary>
/// Tests that seed torch's global generator (model initialisation draws from it) must not run in
/// parallel with each other, or one test's draws shift another's stream.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TorchGlobalRng
{
    /// <summary>The collection name.</summary>
    public const string Name = "Torch global generator";
}
