using Microsoft.ML;

namespace MLNet.Subspace.Tests.Build;

/// <summary>
/// What of Microsoft.ML.TorchSharp 0.23.1 (compiled against TorchSharp 0.102.7) works against our TorchSharp 0.107.0. It is
/// probed in a throwaway console app outside the repository (referencing the library, TorchSharp 0.107 and
/// Microsoft.ML.TorchSharp 0.23.1), so its SkiaSharp, tokenizer and ImageAnalytics dependencies never enter the test project.
/// The findings are in docs/ecosystem.md.
/// </summary>
public class MLNetTorchSharpProbeTests
{
    private const string Program = """
        using System.Reflection;
        using System.Reflection.Metadata;
        using System.Reflection.Metadata.Ecma335;
        using System.Reflection.PortableExecutable;
        using Microsoft.ML;
        using Microsoft.ML.TorchSharp;
        using TorchSharp;

        // An ML.NET model whose trainer's package this app does not reference (no Microsoft.ML.LightGbm here).
        try { MLNet.Subspace.ML.PipelineActivations.Load(new MLContext(1), args[0], out _); Console.WriteLine("LightGBM model: loaded"); }
        catch (InvalidDataException e) { Console.WriteLine($"LightGBM model: {e.Message}"); }
        var asm = typeof(TorchSharpCatalog).Assembly;
        Console.WriteLine($"compiled against: {asm.GetReferencedAssemblies().Single(r => r.Name == "TorchSharp").Version}; running: {typeof(torch).Assembly.GetName().Version}");
        Console.WriteLine($"exported types: {asm.GetExportedTypes().Length}");
        // Every member reference into TorchSharp, resolved against the TorchSharp that is loaded.
        int total = 0, missing = 0;
        using (var pe = new PEReader(File.OpenRead(asm.Location)))
        {
            var md = pe.GetMetadataReader();
            foreach (var handle in md.MemberReferences)
            {
                var reference = md.GetMemberReference(handle);
                if (reference.Parent.Kind != HandleKind.TypeReference) continue;
                var type = md.GetTypeReference((TypeReferenceHandle)reference.Parent);
                string typeName = md.GetString(type.Name);
                var scope = type.ResolutionScope;
                while (scope.Kind == HandleKind.TypeReference) { var outer = md.GetTypeReference((TypeReferenceHandle)scope); typeName = md.GetString(outer.Name) + "." + typeName; scope = outer.ResolutionScope; }
                if (scope.Kind != HandleKind.AssemblyReference || md.GetString(md.GetAssemblyReference((AssemblyReferenceHandle)scope).Name) != "TorchSharp") continue;
                total++;
                try { asm.ManifestModule.ResolveMember(MetadataTokens.GetToken(handle)); }
                catch (Exception e) when (e is MissingMemberException or TypeLoadException)
                {
                    missing++;
                    Console.WriteLine($"unresolved: {typeName}::{md.GetString(reference.Name)}: {e.GetType().Name}: {e.Message}");
                }
            }
        }
        Console.WriteLine($"member references into TorchSharp: {total}, unresolved: {missing}");
        // Where a fitted transformer keeps its network, and whether anything public exposes one.
        foreach (var t in asm.GetTypes().Where(t => t.Name.EndsWith("Transformer") && !t.IsAbstract))
            foreach (var f in t.GetFields(BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance).Where(f => typeof(torch.nn.Module).IsAssignableFrom(f.FieldType)))
                Console.WriteLine($"network field: {t.Name}.{f.Name} public={f.IsPublic} type={f.FieldType.Name}");
        int exposed = asm.GetExportedTypes().SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Count(m => ((m as PropertyInfo)?.PropertyType ?? (m as FieldInfo)?.FieldType) is Type type && typeof(torch.nn.Module).IsAssignableFrom(type));
        Console.WriteLine($"public properties or fields of a module type: {exposed}");
        // The one public, constructible whole network: the object detector.
        var detector = new Microsoft.ML.TorchSharp.AutoFormerV2.AutoFormerV2(3, [64, 128, 256, 448], [2, 2, 6, 2], [2, 4, 8, 14], torch.CPU);
        Console.WriteLine($"AutoFormerV2 is Module<Tensor, Tensor>: {detector is torch.nn.Module<torch.Tensor, torch.Tensor>}");
        try { using var _ = torch.no_grad(); detector.forward(torch.zeros(1, 3, 64, 64)); Console.WriteLine("AutoFormerV2 forward: ok"); }
        catch (Exception e) { Console.WriteLine($"AutoFormerV2 forward: {e.GetType().FullName}: {e.Message}"); }
        // A trainer: it fetches its pretrained NAS-BERT weights at fit time.
        var ml = new MLContext(seed: 1);
        var rows = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 8).Select(i => new Row { Text = i % 2 == 0 ? "good film" : "bad film", Label = i % 2 == 0 ? "pos" : "neg" }));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.TextClassification(sentence1ColumnName: "Text", maxEpochs: 1));
        try { pipeline.Fit(rows); Console.WriteLine("TextClassification fit: ok"); }
        catch (Exception e) { Console.WriteLine($"TextClassification fit: {e.GetType().FullName}: {e.Message.Split('\n')[0]}"); }

        public sealed class Row { public string Text { get; set; } = ""; public string Label { get; set; } = ""; }
        """;

    [Fact]
    [Trait("Category", "Integration")]
    public void MLNet_TorchSharp_Loads_Against_TorchSharp_0107_Except_One_Interpolate_Overload_And_Exposes_No_Network_And_A_Missing_Trainer_Package_Is_Named()
    {
        using var temp = new TempFolder();
        string library = Path.Combine(TestPaths.RepoRoot, "src", "MLNet.Subspace");
        File.WriteAllText(temp.File("Probe.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{Path.Combine(library, "MLNet.Subspace.csproj")}" />
                <PackageReference Include="libtorch-cpu-linux-x64" Version="2.10.0" />
                <PackageReference Include="Microsoft.ML.TorchSharp" Version="0.23.1" />
              </ItemGroup>
              <Import Project="{Path.Combine(library, "build", "MLNet.Subspace.targets")}" />
            </Project>
            """);
        File.WriteAllText(temp.File("Program.cs"), Program);
        var timeout = TimeSpan.FromMinutes(8);

        var build = ProcessRunner.Run("dotnet", "build -nologo -v:q", temp.Path, timeout);
        Assert.True(build.ExitCode == 0, build.Output);
        var ml = new Microsoft.ML.MLContext(seed: 1);
        var blobs = MLNet.Subspace.ML.InMemoryDataView.Create(30).AddVector("Features", Enumerable.Range(0, 90).Select(i => (float)(i % 7)).ToArray(), [3])
            .AddKey("Label", Enumerable.Range(0, 30).Select(i => i % 3).ToArray(), ["a", "b", "c"]).Build();
        string lightGbm = temp.File("lightgbm.zip");
        ml.Model.Save(ml.MulticlassClassification.Trainers.LightGbm(minimumExampleCountPerLeaf: 2, numberOfIterations: 2).Fit(blobs), blobs.Schema, lightGbm);
        var run = ProcessRunner.Run("dotnet", $"bin/Debug/net10.0/Probe.dll \"{lightGbm}\"", temp.Path, timeout);
        Assert.True(run.ExitCode == 0, run.Output);

        Assert.Contains($"LightGBM model: '{lightGbm}' needs the assembly 'Microsoft.ML.LightGbm' to load, which this application does not have: reference the Microsoft.ML.LightGbm package", run.Output);
        Assert.Contains("compiled against: 0.102.7.0; running: 0.107.0.0", run.Output);
        Assert.Contains("member references into TorchSharp: 254, unresolved: 1", run.Output);
        Assert.Contains("unresolved: torch.nn.functional::interpolate: MissingMethodException: Method not found: 'Tensor functional.interpolate(Tensor, Int64[], Double[], InterpolationMode, System.Nullable`1<Boolean>, Boolean)'.", run.Output);
        Assert.Contains("network field: TextClassificationTransformer.Model public=False", run.Output);
        Assert.Contains("network field: ObjectDetectionTransformer.Model public=False type=AutoFormerV2", run.Output);
        Assert.Contains("public properties or fields of a module type: 0", run.Output);
        Assert.Contains("AutoFormerV2 is Module<Tensor, Tensor>: False", run.Output);
        Assert.Contains("AutoFormerV2 forward: System.MissingMethodException: Method not found: 'Tensor functional.interpolate(", run.Output);
        // Offline the weights cannot be fetched; with a network the fit may work. Either way it is said plainly.
        Assert.Matches("TextClassification fit: (ok|System.InvalidOperationException: Error downloading resource from 'https://aka.ms/mlnet-resources/models/NasBert2000000.tsm')", run.Output);
    }
}
