namespace MLNet.Subspace.Tests;

/// <summary>Where tests find their inputs.</summary>
internal static class TestPaths
{
    public static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string Fixture(params string[] parts) => Path.Combine([Fixtures, .. parts]);

    /// <summary>The repository root (the folder with MLNet.Subspace.sln).</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MLNet.Subspace.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Run the tests from inside the repository.");
        }
    }

    /// <summary>Real Fashion-MNIST, which .ci/run installs (apt-get install -y dataset-fashion-mnist).</summary>
    public static string FashionMnist
    {
        get
        {
            const string folder = MLNet.Subspace.Data.IdxReader.DebianFashionMnistFolder;
            if (!Directory.Exists(folder))
                throw new InvalidOperationException($"{folder} is missing: run 'apt-get install -y dataset-fashion-mnist' (as .ci/run does).");
            return folder;
        }
    }
}

/// <summary>A fresh temporary folder, removed on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mlnet-subspace-tests", Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
