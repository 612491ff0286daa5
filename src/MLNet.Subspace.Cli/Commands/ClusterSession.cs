using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using MLNet.Subspace.Cluster;
using MLNet.Subspace.Pipeline.Units;
using Spectre.Console;

namespace MLNet.Subspace.Cli.Commands;

/// <summary>A connected cluster client and its runner, counting the units each silo computed (printed when the run ends).</summary>
internal sealed class ClusterSession : IDisposable
{
    private readonly IHost _client;
    private readonly ConcurrentDictionary<string, int> _perWorker = new();

    private ClusterSession(IHost client, IUnitRunner runner)
    {
        _client = client;
        Runner = new Counting(runner, _perWorker);
    }

    public IUnitRunner Runner { get; }

    public static ClusterSession Connect(IConfiguration configuration, string shared, ClusterRunnerOptions options)
    {
        IHost client;
        try
        {
            client = SubspaceCluster.ConnectAsync(configuration).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is Orleans.Runtime.OrleansException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new IOException($"Could not connect to the cluster (are its 'subspace worker' silos running, and is the configuration theirs?): {e.Message}", e);
        }
        return new ClusterSession(client, new ClusterUnitRunner(SubspaceCluster.Client(client), shared, options));
    }

    /// <summary>Units per silo, as a table.</summary>
    public void Summary()
    {
        var table = new Table().Title("Work units per worker").AddColumns("worker", "units");
        foreach (var (worker, units) in _perWorker.OrderBy(p => p.Key, StringComparer.Ordinal))
            table.AddRow(Markup.Escape(worker), units.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
    }

    public void Dispose()
    {
        _client.StopAsync().GetAwaiter().GetResult();
        _client.Dispose();
    }

    /// <summary>Counts receipts per worker on their way to the run's progress.</summary>
    private sealed class Counting(IUnitRunner inner, ConcurrentDictionary<string, int> perWorker) : IUnitRunner
    {
        public string SharedFolder => inner.SharedFolder;

        public Task<IReadOnlyList<UnitReceipt>> RunAsync(IReadOnlyList<WorkUnit> units, IProgress<UnitReceipt>? progress = null, CancellationToken cancellationToken = default)
            => inner.RunAsync(units, new SynchronousProgress<UnitReceipt>(r =>
            {
                perWorker.AddOrUpdate(r.Worker, 1, (_, n) => n + 1);
                progress?.Report(r);
            }), cancellationToken);
    }
}
