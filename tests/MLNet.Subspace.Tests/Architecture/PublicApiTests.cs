using PublicApiGenerator;

namespace MLNet.Subspace.Tests.Architecture;

/// <summary>
/// The library's public surface, snapshotted: any change to it fails here until PublicApi/MLNet.Subspace.approved.txt is
/// updated in the same commit, so every change of the surface is deliberate (and visible in review).
/// </summary>
public class PublicApiTests
{
    private static string Approved => Path.Combine(TestPaths.RepoRoot, "tests", "MLNet.Subspace.Tests", "Architecture", "PublicApi", "MLNet.Subspace.approved.txt");

    internal static string Generate() => typeof(MLNet.Subspace.ML.SubspaceCatalog).Assembly.GeneratePublicApi(new ApiGeneratorOptions
    {
        ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute"],
    }).ReplaceLineEndings("\n");

    [Fact]
    public void The_Public_Api_Is_The_Approved_One()
    {
        string actual = Generate();
        string received = Path.ChangeExtension(Approved, null).Replace(".approved", "") + ".received.txt";
        string approved = File.Exists(Approved) ? File.ReadAllText(Approved).ReplaceLineEndings("\n") : "";
        if (actual != approved)
        {
            File.WriteAllText(received, actual);
            var first = actual.Split('\n').Zip(approved.Split('\n')).Select((p, i) => (p, i)).FirstOrDefault(x => x.p.First != x.p.Second);
            Assert.Fail($"The public API changed (first difference at line {first.i + 1}: '{first.p.Second}' became '{first.p.First}'). "
                + $"If the change is deliberate, copy {received} over {Approved}.");
        }
        if (File.Exists(received)) File.Delete(received);
    }

    [Fact]
    public void Helpers_Stay_Internal()
    {
        string api = Generate();

        foreach (string helper in new[] { "class AtomicFile", "class Hungarian", "class MemoryBudget", "class KMeans", "class PngImage", "class RunFolder", "class MLNetInterop" })
            Assert.DoesNotContain(helper, api);
        Assert.Contains("class SscOptions", api);
    }
}
