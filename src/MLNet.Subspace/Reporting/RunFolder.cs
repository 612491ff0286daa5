using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNet.Subspace.Reporting;

/// <summary>
/// A folder that holds one run: manifest.json (inputs, options, versions, seed), progress.json (the
/// steps finished so far) and the outputs. Files are written atomically; re-opening a folder with the
/// same manifest resumes it, skipping finished steps.
/// </summary>
/// <remarks>
/// An open run folder holds an exclusive lock on its file <c>.lock</c> until it is disposed (or the process
/// ends), so a second run into the same folder, in this process or another, is refused instead of
/// duplicating the work and overwriting the first one's files.
/// </remarks>
internal sealed class RunFolder : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    private readonly SortedSet<string> _done;
    private readonly FileStream _lock;

    private RunFolder(string path, RunManifest manifest, SortedSet<string> done, FileStream lockFile)
    {
        Path = path;
        Manifest = manifest;
        _done = done;
        _lock = lockFile;
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>The run's manifest.</summary>
    public RunManifest Manifest { get; }

    /// <summary>Steps finished so far.</summary>
    public IReadOnlyCollection<string> CompletedSteps => _done;

    /// <summary>Creates the folder, or re-opens it to resume when it holds a run with the same manifest.</summary>
    /// <param name="path">The folder.</param>
    /// <param name="manifest">What this run does; versions are added here.</param>
    /// <returns>The open run folder; dispose it when the run ends, to release its lock.</returns>
    /// <exception cref="IOException">The folder is not writable, is in use by another run, or holds a different run (the message says what differs).</exception>
    public static RunFolder Open(string path, RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("The output folder is empty: give a folder path with --out.");
        string full = System.IO.Path.GetFullPath(path);
        manifest = manifest with { Versions = CurrentVersions() };
        // A corrupt manifest or progress file, or a folder of another run, is refused before anything (folder, lock) is
        // written; the check is repeated under the lock, against a run that started in between.
        CheckSameWork(full, ReadExisting(full).Manifest, manifest);
        try
        {
            Directory.CreateDirectory(full);
            string probe = System.IO.Path.Combine(full, $".write-test-{Guid.NewGuid():N}");
            System.IO.File.WriteAllText(probe, "");
            System.IO.File.Delete(probe);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new IOException($"The output folder {full} is not writable ({e.Message}). Choose another folder with --out.", e);
        }

        var lockFile = Lock(full);
        try
        {
            var (existing, done) = ReadExisting(full);
            CheckSameWork(full, existing, manifest);
            if (existing is null)
                IO.AtomicFile.WriteAllText(System.IO.Path.Combine(full, "manifest.json"), w => w.Write(JsonSerializer.Serialize(manifest, Json)));
            return new RunFolder(full, manifest, done, lockFile);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    private static void CheckSameWork(string folder, RunManifest? existing, RunManifest requested)
    {
        if (existing is not null && !existing.SameWorkAs(requested))
            throw new IOException($"{folder} already holds a different run ({existing.Command}, seed {existing.Seed}, options {Describe(existing.Options)}); "
                + $"what differs: {Differences(existing, requested)}. Use a new output folder, or delete this one to start over.");
    }

    /// <summary>The manifest (null when none) and finished steps a folder holds; a corrupt or empty file is named with what is wrong.</summary>
    private static (RunManifest? Manifest, SortedSet<string> Done) ReadExisting(string folder)
    {
        string manifestPath = System.IO.Path.Combine(folder, "manifest.json"), progressPath = System.IO.Path.Combine(folder, "progress.json");
        var manifest = System.IO.File.Exists(manifestPath) ? ReadJson<RunManifest>(manifestPath, "a run manifest") : null;
        var done = System.IO.File.Exists(progressPath) ? new SortedSet<string>(ReadJson<string[]>(progressPath, "a list of finished steps")) : new SortedSet<string>();
        return (manifest, done);
    }

    private static T ReadJson<T>(string path, string what) where T : class
    {
        string text = System.IO.File.ReadAllText(path);
        string advice = "Delete the run folder to start over, or choose another output folder with --out.";
        if (text.Trim().Length == 0) throw new InvalidDataException($"{path} is empty; it should hold {what}. {advice}");
        try
        {
            return JsonSerializer.Deserialize<T>(text, Json) ?? throw new InvalidDataException($"{path} holds null; it should hold {what}. {advice}");
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long line ? $" at line {line + 1}, byte {e.BytePositionInLine + 1}" : "";
            throw new InvalidDataException($"{path} is corrupt{where}: it is not {what}. {advice}", e);
        }
    }

    /// <summary>Releases the run folder's lock; the folder and its files stay.</summary>
    public void Dispose() => _lock.Dispose();

    private static FileStream Lock(string folder)
    {
        string path = System.IO.Path.Combine(folder, ".lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"The output folder {folder} is in use by another run (its lock file {path} is held). "
                + "Wait for that run to finish, or choose another output folder with --out.", e);
        }
    }

    private static string Differences(RunManifest existing, RunManifest requested)
    {
        var parts = new List<string>();
        if (existing.Command != requested.Command) parts.Add($"command {existing.Command} vs {requested.Command}");
        if (existing.Seed != requested.Seed) parts.Add($"seed {existing.Seed} vs {requested.Seed}");
        void Compare(string kind, IReadOnlyDictionary<string, string> old, IReadOnlyDictionary<string, string> now)
        {
            foreach (string key in old.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
            {
                string? a = old.GetValueOrDefault(key), b = now.GetValueOrDefault(key);
                if (a != b) parts.Add($"{kind} '{key}': {a ?? "(none)"} in the folder vs {b ?? "(none)"} now");
            }
        }
        Compare("input", existing.Inputs, requested.Inputs);
        Compare("option", existing.Options, requested.Options);
        return string.Join("; ", parts);
    }

    /// <summary>A path inside the run folder (sub-folders are created).</summary>
    /// <param name="relative">The path relative to the run folder.</param>
    public string PathOf(string relative)
    {
        string full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relative));
        if (!full.StartsWith(Path, StringComparison.Ordinal)) throw new ArgumentException($"'{relative}' points outside the run folder.", nameof(relative));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        return full;
    }

    /// <summary>Whether a step finished in this or an earlier, interrupted, session.</summary>
    /// <param name="step">Step name.</param>
    public bool IsDone(string step) => _done.Contains(step);

    /// <summary>Records a step as finished (atomically), after its outputs are written.</summary>
    /// <param name="step">Step name.</param>
    public void MarkDone(string step)
    {
        if (!_done.Add(step)) return;
        IO.AtomicFile.WriteAllText(System.IO.Path.Combine(Path, "progress.json"), w => w.Write(JsonSerializer.Serialize(_done.ToArray(), Json)));
    }

    /// <summary>Runs a step unless it already finished: then its saved result is loaded instead.</summary>
    /// <typeparam name="T">The step's result.</typeparam>
    /// <param name="step">Step name.</param>
    /// <param name="compute">Does the work.</param>
    /// <param name="save">Writes the result (atomically) into the folder.</param>
    /// <param name="load">Reads a saved result.</param>
    public T Step<T>(string step, Func<T> compute, Action<T> save, Func<T> load)
    {
        ArgumentNullException.ThrowIfNull(compute);
        ArgumentNullException.ThrowIfNull(save);
        ArgumentNullException.ThrowIfNull(load);
        if (IsDone(step)) return load();
        T result = compute();
        save(result);
        MarkDone(step);
        return result;
    }

    private static string Describe(IReadOnlyDictionary<string, string> options)
        => string.Join(", ", options.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"));

    private static Dictionary<string, string> CurrentVersions()
    {
        static string Of(Assembly a) => a.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? a.GetName().Version?.ToString() ?? "?";
        return new Dictionary<string, string>
        {
            ["MLNet.Subspace"] = Of(typeof(RunFolder).Assembly),
            ["Microsoft.ML"] = Of(typeof(Microsoft.ML.MLContext).Assembly),
            ["TorchSharp"] = Of(typeof(TorchSharp.torch).Assembly),
            [".NET"] = Environment.Version.ToString(),
            ["OS"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            // Training is bit-reproducible for one seed only at one intra-op thread count (see docs/design.md).
            ["torch threads"] = TorchSharp.torch.get_num_threads().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
