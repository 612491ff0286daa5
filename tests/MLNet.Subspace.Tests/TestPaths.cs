using System.Reflection;

namespace MLNet.Subspace.Tests;

/// <summary>Where tests find their inputs.</summary>
internal static class TestPaths
{
    public static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string Fixture(params string[] parts) => Path.Combine([Fixtures, .. parts]);

    /// <summary>
    /// The build configuration these tests were built in (Debug, Release, ...), from the test assembly's own
    /// AssemblyConfigurationAttribute: <c>dotnet test -c X</c> builds the tool and the examples in X too.
    /// </summary>
    public static string Configuration
        => typeof(TestPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } configuration
            ? configuration
            : throw new InvalidOperationException("The test assembly carries no AssemblyConfigurationAttribute.");

    /// <summary>The built assembly of a project of the repository, in this build's configuration: <c>{project}/bin/{Configuration}/net10.0/{assembly}.dll</c>.</summary>
    /// <param name="project">The project folder, relative to the repository root.</param>
    /// <param name="assembly">The assembly name, without .dll.</param>
    public static string BuiltAssembly(string project, string assembly)
        => Path.Combine(RepoRoot, project, "bin", Configuration, "net10.0", assembly + ".dll");

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
