using System.Security.Cryptography;

namespace MLNet.Subspace.Tests.Build;

/// <summary>The build step that lets TorchSharp 0.107 load on libstdc++ older than GCC 13's.</summary>
public class TorchSharpCompatibilityTests
{
    private static string NuGetLibrary => Path.Combine(
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void Test_Output_Copy_Is_Patched_Exactly_When_The_System_Needs_It_And_The_Cache_Is_Not()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

        string expected = ProcessRunner.SystemHasGlibcxx3432() ? "none" : "WEAK";
        Assert.Equal(expected, ProcessRunner.GlibcxxFlags(output));
        Assert.Equal("none", ProcessRunner.GlibcxxFlags(NuGetLibrary));
    }

    [Fact]
    public void Step_Is_Idempotent_And_Changes_Exactly_One_Bit()
    {
        using var temp = new TempFolder();
        string lib = StageLibrary(temp);

        string debian12LibStdCxx = temp.File("libstdc++.so.6");
        File.WriteAllText(debian12LibStdCxx, "\0GLIBCXX_3.4.29\0GLIBCXX_3.4.30\0");

        var first = RunStep(temp, debian12LibStdCxx);
        byte[] once = File.ReadAllBytes(lib);
        var second = RunStep(temp, debian12LibStdCxx);

        Assert.Contains("marked GLIBCXX_3.4.32 weak", first);
        Assert.Contains("already has GLIBCXX_3.4.32 marked weak", second);
        Assert.Equal(once, File.ReadAllBytes(lib));
        Assert.Equal("WEAK", ProcessRunner.GlibcxxFlags(lib));
        byte[] original = File.ReadAllBytes(NuGetLibrary);
        int differingBits = original.Zip(once).Sum(p => System.Numerics.BitOperations.PopCount((uint)(p.First ^ p.Second)));
        Assert.Equal(1, differingBits);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(lib)!, "*.tmp"));
    }

    [Fact]
    public void Machine_With_A_Newer_LibStdCxx_Is_Left_Untouched()
    {
        using var temp = new TempFolder();
        string lib = StageLibrary(temp);
        string fakeNewLibStdCxx = temp.File("libstdc++.so.6");
        File.WriteAllText(fakeNewLibStdCxx, "\0GLIBCXX_3.4.31\0GLIBCXX_3.4.32\0GLIBCXX_3.4.33\0");
        byte[] before = SHA256.HashData(File.ReadAllBytes(lib));

        RunStep(temp, fakeNewLibStdCxx);

        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(lib)));
        Assert.Equal("none", ProcessRunner.GlibcxxFlags(lib));
    }

    private static string StageLibrary(TempFolder temp)
    {
        string native = Path.Combine(temp.Path, "out", "runtimes", "linux-x64", "native");
        Directory.CreateDirectory(native);
        string lib = Path.Combine(native, "libLibTorchSharp.so");
        File.Copy(NuGetLibrary, lib);
        return lib;
    }

    private static string RunStep(TempFolder temp, string? systemLibStdCxx)
    {
        string targets = Path.Combine(TestPaths.RepoRoot, "src", "MLNet.Subspace", "build", "MLNet.Subspace.targets");
        File.WriteAllText(temp.File("step.proj"), $"""
            <Project>
              <PropertyGroup><OutDir>{Path.Combine(temp.Path, "out")}/</OutDir></PropertyGroup>
              <Import Project="{targets}" />
              <Target Name="Build" />
            </Project>
            """);
        string extra = systemLibStdCxx is null ? "" : $" -p:MLNetSubspaceSystemLibStdCxx={systemLibStdCxx}";
        var (code, output) = ProcessRunner.Run("dotnet", $"msbuild step.proj -t:Build -v:d -nologo{extra}", temp.Path, TimeSpan.FromMinutes(3));
        Assert.True(code == 0, output);
        return output;
    }
}
