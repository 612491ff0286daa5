namespace MLNet.Subspace.Tests.Build;

/// <summary>
/// An application outside the repository that references the packed library and TorchSharp-cpu
/// must run torch with no manual step, even when its first torch call precedes any call into the library.
/// </summary>
public class PackageConsumerTests
{
    [Fact]
    [Trait("Category", "Integration")]
    public void Packed_Library_Makes_Torch_Run_In_A_Fresh_Console_App()
    {
        using var temp = new TempFolder();
        string feed = Directory.CreateDirectory(temp.File("feed")).FullName;
        string app = Directory.CreateDirectory(temp.File("app")).FullName;
        // A unique version keeps a stale package in the NuGet cache from answering for this build.
        string version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var timeout = TimeSpan.FromMinutes(8);

        var pack = ProcessRunner.Run("dotnet", $"pack \"{Path.Combine(TestPaths.RepoRoot, "src", "MLNet.Subspace")}\" -c Release -o \"{feed}\" -p:Version={version} -nologo", TestPaths.RepoRoot, timeout);
        Assert.True(pack.ExitCode == 0, pack.Output);
        Assert.DoesNotContain("missing a readme", pack.Output);
        using (var package = System.IO.Compression.ZipFile.OpenRead(Directory.GetFiles(feed, "*.nupkg").Single()))
            Assert.Contains(package.Entries, e => e.FullName == "README.md");

        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources><add key="local" value="{feed}" /></packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
              <ItemGroup>
                <PackageReference Include="MLNet.Subspace" Version="{version}" />
                <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using MLNet.Subspace.ML;
            using TorchSharp;
            // Torch first, before any call into MLNet.Subspace.
            var x = torch.arange(1, 5, dtype: torch.float32).reshape(2, 2);
            Console.WriteLine($"trace={x.matmul(x).trace().item<float>()}");
            Console.WriteLine($"device={MLNet.Subspace.Torch.TorchDevice.Resolve()}");

            // The library as an ML.NET user meets it: SSC through the catalog on points of two lines in R^3.
            var ml = new Microsoft.ML.MLContext(seed: 1);
            var rows = Enumerable.Range(0, 40).Select(i => new Row { Features = i < 20 ? [1f + i, 2f * (1 + i), 0f] : [0f, 1f + i, -(1f + i)] }).ToList();
            var model = ml.Transforms.SscAffinity(new SscAffinityEstimator.Options
            {
                NumberOfClusters = 2,
                Ssc = new MLNet.Subspace.Numerics.Ssc.SscOptions { Solver = MLNet.Subspace.Numerics.Ssc.SscSolver.Omp, NonZeros = 1 },
            }).Fit(ml.Data.LoadFromEnumerable(rows));
            var c = model.ClusterLabels;
            Console.WriteLine($"ssc={c.Take(20).Distinct().Count()},{c.Skip(20).Distinct().Count()},{c[0] != c[20]}");

            public sealed class Row { [Microsoft.ML.Data.VectorType(3)] public float[] Features { get; set; } = []; }
            """);

        var build = ProcessRunner.Run("dotnet", "build -nologo -v:n", app, timeout);
        Assert.True(build.ExitCode == 0, build.Output);
        if (!ProcessRunner.SystemHasGlibcxx3432()) Assert.Contains("marked GLIBCXX_3.4.32 weak", build.Output);

        var run = ProcessRunner.Run("dotnet", "bin/Debug/net10.0/Consumer.dll", app, timeout);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("trace=29", run.Output); // [[1,2],[3,4]]^2 = [[7,10],[15,22]]
        Assert.Contains("device=cpu", run.Output);
        Assert.Contains("ssc=1,1,True", run.Output); // each line one cluster, the two apart

        // Publish for linux-x64 puts the natives beside the app: the step must patch that copy too.
        var publish = ProcessRunner.Run("dotnet", "publish -r linux-x64 --self-contained false -o pub -nologo -v:n", app, timeout);
        Assert.True(publish.ExitCode == 0, publish.Output);
        var published = ProcessRunner.Run("dotnet", "pub/Consumer.dll", app, timeout);
        Assert.True(published.ExitCode == 0, published.Output);
        Assert.Contains("trace=29", published.Output);
    }
}
