using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MLNet.Subspace.Pipeline.Units;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Runtime.Placement;

namespace MLNet.Subspace.Cluster;

/// <summary>
/// Executes units on the silos of an Orleans cluster: the client-side scheduler keeps at most
/// <see cref="ClusterRunnerOptions.UnitsPerSilo"/> units in flight on each live silo, each on a worker grain whose key names
/// its silo and slot and which a placement hint puts on that silo when it is activated; it reads the
/// membership every <see cref="ClusterRunnerOptions.MembershipPoll"/>, and reschedules a unit whose silo died or whose call
/// was lost. A unit starts once its prerequisites (<see cref="WorkUnit.Prerequisites"/>) are done, so the parts of a split layer
/// spread over the silos in their order. Units are idempotent and their results are files in the shared folder, so a unit executed twice (its silo wrote
/// the result, then died before answering) writes the same bytes, and a result found there is not executed again.
/// </summary>
public sealed class ClusterUnitRunner : IUnitRunner
{
    private readonly IClusterClient _client;
    private readonly ClusterRunnerOptions _options;
    private readonly ILogger _log;

    /// <summary>A runner over a connected client.</summary>
    /// <param name="client">A started Orleans client of a cluster of <c>subspace worker</c> silos.</param>
    /// <param name="sharedFolder">The shared folder as this machine sees it (the workers may mount it elsewhere).</param>
    /// <param name="options">Scheduling; null takes <see cref="ClusterRunnerOptions.Defaults"/>.</param>
    /// <param name="log">Where rescheduled units are logged, or null.</param>
    public ClusterUnitRunner(IClusterClient client, string sharedFolder, ClusterRunnerOptions? options = null, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(sharedFolder);
        _options = options ?? new ClusterRunnerOptions();
        _options.Validate();
        if (!Directory.Exists(sharedFolder)) throw new DirectoryNotFoundException($"The shared folder {sharedFolder} does not exist.");
        _client = client;
        _log = log ?? NullLogger.Instance;
        SharedFolder = Path.GetFullPath(sharedFolder);
    }

    /// <inheritdoc/>
    public string SharedFolder { get; }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<UnitReceipt>> RunAsync(IReadOnlyList<WorkUnit> units, IProgress<UnitReceipt>? progress = null, CancellationToken cancellationToken = default)
    {
        var needs = UnitOrder.Check(units, SharedFolder);
        var receipts = new UnitReceipt?[units.Count];
        var attempts = new int[units.Count];
        var pending = new List<int>(); // in the order given, so the first ready unit is the earliest
        for (int i = 0; i < units.Count; i++)
        {
            if (units[i].IsDone(SharedFolder)) Done(i, units[i].LoadReceipt(SharedFolder));
            else pending.Add(i);
        }
        var flights = new List<Flight>();
        var management = _client.GetGrain<IManagementGrain>(0);
        SiloAddress[] live = [];
        var sincePoll = Stopwatch.StartNew();
        bool polled = false;
        while (pending.Count > 0 || flights.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!polled || sincePoll.Elapsed >= _options.MembershipPoll)
            {
                live = await LiveSilos(management, live);
                polled = true;
                sincePoll.Restart();
                // A silo that left the membership will not answer: abandon its calls, and reschedule their units below.
                foreach (var flight in flights.Where(f => !live.Contains(f.Silo) && !f.Abandoned.IsCancellationRequested)) flight.Abandoned.Cancel();
            }
            foreach (var silo in live)
                for (int slot = 0; slot < _options.UnitsPerSilo; slot++)
                    if (!flights.Any(f => f.Silo.Equals(silo) && f.Slot == slot) && NextReady() is int ready)
                    {
                        pending.Remove(ready);
                        flights.Add(Start(ready, units, silo, slot, cancellationToken));
                    }
            var next = Task.Delay(_options.MembershipPoll - sincePoll.Elapsed is { Ticks: > 0 } wait ? wait : TimeSpan.Zero, cancellationToken);
            await Task.WhenAny(flights.Select(f => (Task)f.Call).Append(next));
            foreach (var flight in flights.Where(f => f.Call.IsCompleted).ToList())
            {
                flights.Remove(flight);
                flight.Abandoned.Dispose();
                if (flight.Call.IsCompletedSuccessfully)
                {
                    Done(flight.Unit, UnitReceipt.FromJson(flight.Call.Result));
                    continue;
                }
                cancellationToken.ThrowIfCancellationRequested();
                var error = flight.Call.Exception?.GetBaseException() ?? new OperationCanceledException("The call was abandoned.");
                if (!IsLost(error)) throw error is InvalidDataException ? new InvalidDataException(error.Message, error) : new InvalidOperationException($"Unit {units[flight.Unit].Id} ({units[flight.Unit].Description}) failed on silo {flight.Silo}: {error.Message}", error);
                var unit = units[flight.Unit];
                if (unit.IsDone(SharedFolder))
                {
                    Done(flight.Unit, unit.LoadReceipt(SharedFolder)); // its silo wrote the result, then was lost before answering
                    continue;
                }
                if (++attempts[flight.Unit] >= _options.MaxAttempts)
                    throw new InvalidOperationException($"Unit {unit.Id} ({unit.Description}) was lost {attempts[flight.Unit]} times (the last on silo {flight.Silo}: {error.Message}); is the cluster losing silos?", error);
                _log.LogWarning(error, "Unit {Unit} ({Description}) was lost on silo {Silo}; rescheduled (attempt {Attempt}).", unit.Id, unit.Description, flight.Silo, attempts[flight.Unit] + 1);
                pending.Insert(0, flight.Unit); // first again: others may wait for it
            }
        }
        return receipts.Select(r => r!).ToList();

        int? NextReady()
        {
            foreach (int unit in pending)
                if (needs[unit].All(p => receipts[p] is not null)) return unit;
            return null;
        }

        void Done(int unit, UnitReceipt receipt)
        {
            receipts[unit] = receipt;
            progress?.Report(receipt);
        }
    }

    private Flight Start(int unit, IReadOnlyList<WorkUnit> units, SiloAddress silo, int slot, CancellationToken cancellationToken)
    {
        var abandoned = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The hint places the slot's activation on its silo when the first call activates it; it rides in this call's request
        // context only. (Stateless workers called from a client run on whichever gateway silo the call reaches, which the
        // client cannot choose, so per-silo bounds need keyed slots.)
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try
        {
            var call = _client.GetGrain<IUnitWorkerGrain>($"{silo.ToParsableString()}/{slot}").Execute(units[unit].ToJson(), abandoned.Token).WaitAsync(abandoned.Token);
            return new Flight(unit, silo, slot, call, abandoned);
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    /// <summary>The active silos; the last known ones while the membership cannot be read (the gateway in use just died).</summary>
    private async Task<SiloAddress[]> LiveSilos(IManagementGrain management, SiloAddress[] known)
    {
        try
        {
            return (await management.GetHosts(onlyActive: true)).Keys.OrderBy(s => s.ToString(), StringComparer.Ordinal).ToArray();
        }
        catch (Exception e) when (IsLost(e))
        {
            _log.LogWarning(e, "The cluster membership could not be read; using the last known silos.");
            return known;
        }
    }

    /// <summary>Whether a call failed because its silo or its connection was lost (worth another attempt), not because the unit failed.</summary>
    private static bool IsLost(Exception e) => e is OrleansMessageRejectionException or TimeoutException or ConnectionFailedException or OperationCanceledException;

    private sealed record Flight(int Unit, SiloAddress Silo, int Slot, Task<string> Call, CancellationTokenSource Abandoned);
}
