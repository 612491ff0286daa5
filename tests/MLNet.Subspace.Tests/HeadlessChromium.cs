namespace MLNet.Subspace.Tests;

/// <summary>Debian's Chromium in headless mode (.ci/run installs the chromium package).</summary>
internal static class HeadlessChromium
{
    private const string Executable = "/usr/bin/chromium";

    /// <summary>Loads a local HTML file in headless Chromium and returns the DOM it built, serialised.</summary>
    public static string DumpDom(string htmlPath)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: run 'apt-get install -y chromium' (as .ci/run does).");
        using var profile = new TempFolder();
        // Flags as the machine notes require: no sandbox as root, and no background network traffic on a closed network.
        string args = "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
            + $"--disable-component-update --disable-sync --user-data-dir=\"{profile.Path}\" --dump-dom \"file://{Path.GetFullPath(htmlPath)}\"";
        var (code, output) = ProcessRunner.Run(Executable, args, profile.Path, TimeSpan.FromMinutes(2), stdoutOnly: true);
        Assert.True(code == 0, output);
        return output;
    }
}
