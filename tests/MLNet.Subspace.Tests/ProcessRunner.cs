using System.Diagnostics;
using System.Text;

namespace MLNet.Subspace.Tests;

/// <summary>Runs a child process and captures its output, for tests that drive the build or the CLI.</summary>
internal static class ProcessRunner
{
    public static (int ExitCode, string Output) Run(string fileName, string arguments, string workingDirectory, TimeSpan timeout, IDictionary<string, string>? environment = null, bool stdoutOnly = false)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Child dotnet builds must not inherit the test host's MSBuild node settings.
        info.Environment.Remove("MSBuildExtensionsPath");
        info.Environment.Remove("MSBUILD_EXE_PATH");
        info.Environment.Remove("MSBuildSDKsPath");
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        if (environment is not null) foreach (var (k, v) in environment) info.Environment[k] = v;

        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null && !stdoutOnly) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{fileName} {arguments}' did not finish within {timeout}. Output so far:\n{output}");
        }
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }

    /// <summary>Runs a system command (each argument quoted) and throws with its output unless it exits with 0.</summary>
    public static void RunOrThrow(string fileName, params string[] arguments)
    {
        string joined = string.Join(' ', arguments.Select(a => $"\"{a}\""));
        var (code, output) = Run(fileName, joined, Path.GetTempPath(), TimeSpan.FromMinutes(1));
        if (code != 0) throw new InvalidOperationException($"'{fileName} {joined}' failed ({code}): {output}");
    }

    /// <summary>The version flags readelf shows for GLIBCXX_3.4.32 in a shared library ("WEAK" or "none").</summary>
    public static string GlibcxxFlags(string library)
    {
        var (code, output) = Run("readelf", $"-V \"{library}\"", Path.GetDirectoryName(library)!, TimeSpan.FromSeconds(30));
        Assert.Equal(0, code);
        var line = output.Split('\n').Single(l => l.Contains("Name: GLIBCXX_3.4.32"));
        return line.Split("Flags:")[1].Trim().Split(' ')[0];
    }

    public static bool SystemHasGlibcxx3432()
        => File.ReadAllText("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", Encoding.Latin1).Contains("GLIBCXX_3.4.32\0");
}
