using System.Diagnostics;
using System.Net.Sockets;
using Npgsql;

namespace MLNet.Subspace.Tests.Cluster;

/// <summary>A real membership store for Orleans, started for one test on loopback from Debian's packages: a Redis server (the
/// README's test command installs it), or a PostgreSQL cluster with Orleans' ADO.NET membership tables.
/// <see cref="Clustering"/> is the <c>Orleans:Clustering</c> JSON for it.</summary>
internal sealed class MembershipServer : IDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private MembershipServer(Process process, string folder, string clustering)
    {
        _process = process;
        _folder = folder;
        Clustering = clustering;
    }

    /// <summary>The <c>Orleans:Clustering</c> section that points at this server.</summary>
    public string Clustering { get; }

    /// <summary>redis-server on a free port of <paramref name="address"/> (default loopback), nothing persisted.</summary>
    public static async Task<MembershipServer> StartRedisAsync(string folder, string address = "127.0.0.1")
    {
        int port = WorkerProcessTests.FreePorts(1)[0];
        Directory.CreateDirectory(folder);
        var process = Start(Installed("redis-server", "/usr/bin/redis-server"), folder,
            "--port", $"{port}", "--bind", address, "--protected-mode", "no", "--save", "", "--appendonly", "no", "--dir", folder);
        var server = new MembershipServer(process, folder, $$"""{ "ProviderType": "Redis", "ConnectionString": "{{address}}:{{port}}" }""");
        await server.WaitForPortAsync(address, port);
        return server;
    }

    /// <summary>The environment variable naming a folder with Orleans' PostgreSQL-Main.sql and PostgreSQL-Clustering.sql (from
    /// Orleans' repository: the NuGet package does not ship them).</summary>
    public const string OrleansScriptsVariable = "SUBSPACE_ORLEANS_ADONET_SQL";

    /// <summary>A fresh PostgreSQL cluster (initdb) on a free loopback port with Orleans' membership tables; as root, the server runs
    /// as the <c>postgres</c> user, which PostgreSQL requires.</summary>
    public static async Task<MembershipServer> StartPostgresAsync(string folder)
    {
        string scripts = Environment.GetEnvironmentVariable(OrleansScriptsVariable) is { Length: > 0 } named ? named
            : throw new InvalidOperationException($"Set {OrleansScriptsVariable} to a folder with Orleans' PostgreSQL-Main.sql and PostgreSQL-Clustering.sql (docs/distributed.md).");
        string bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order(StringComparer.Ordinal).LastOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb): apt-get install postgresql.");
        int port = WorkerProcessTests.FreePorts(1)[0];
        string data = Path.Combine(folder, "pgdata");
        Directory.CreateDirectory(data);
        bool root = Environment.UserName == "root";
        if (root) ProcessRunner.RunOrThrow("chown", "-R", "postgres", folder);
        string[] AsServerUser(params string[] command) => root ? ["runuser", "-u", "postgres", "--", .. command] : command;
        var initdb = AsServerUser(Path.Combine(bin, "initdb"), "-D", data, "-A", "trust", "-U", "orleans", "--no-sync");
        ProcessRunner.RunOrThrow(initdb[0], initdb[1..]);
        var server = AsServerUser(Path.Combine(bin, "postgres"), "-D", data, "-p", $"{port}", "-k", folder, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off");
        string connection = $"Host=127.0.0.1;Port={port};Username=orleans;Database=postgres";
        var membership = new MembershipServer(Start(server[0], folder, server[1..]), folder, $$"""{ "ProviderType": "AdoNet", "Invariant": "Npgsql", "ConnectionString": "{{connection}}" }""");
        await membership.WaitForPortAsync("127.0.0.1", port);
        await using var database = new NpgsqlConnection(connection);
        for (int attempt = 0; ; attempt++)
        {
            try { await database.OpenAsync(); break; }
            catch (NpgsqlException) when (attempt < 100) { await Task.Delay(100); } // the port opens before logins are accepted
        }
        foreach (string script in new[] { "PostgreSQL-Main.sql", "PostgreSQL-Clustering.sql" })
        {
            await using var sql = new NpgsqlCommand(File.ReadAllText(Path.Combine(scripts, script)), database);
            await sql.ExecuteNonQueryAsync();
        }
        return membership;
    }

    private static string Installed(string name, string path) => File.Exists(path)
        ? path
        : throw new InvalidOperationException($"{name} is not installed ({path}): run the README's test command, which installs it.");

    private static Process Start(string program, string folder, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitForPortAsync(string address, int port)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The membership server exited with code {_process.ExitCode} before listening on {port}.");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(address, port);
                return;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(50);
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
