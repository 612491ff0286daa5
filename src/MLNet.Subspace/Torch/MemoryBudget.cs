namespace MLNet.Subspace.Torch;

/// <summary>
/// The one memory policy of dense work: every step estimates its bytes first and, above its limit, is refused with the
/// estimate, the limit and an alternative, before any allocation.
/// </summary>
internal static class MemoryBudget
{
    /// <summary>Bytes dense work may take: 80 % of what the runtime reports as available (physical memory or the container limit).</summary>
    public static long AvailableBytes()
    {
        var info = GC.GetGCMemoryInfo();
        return (long)(0.8 * Math.Max(0, info.TotalAvailableMemoryBytes - info.MemoryLoadBytes));
    }

    /// <summary>Half of what the runtime may use: the limit of results that stay in memory (materialised activations).</summary>
    public static long HalfOfTotal() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;

    /// <summary>Bytes as a readable string (MiB/GiB, with the exact count).</summary>
    /// <param name="bytes">A byte count.</param>
    public static string Format(long bytes) => bytes >= 1L << 30
        ? FormattableString.Invariant($"{bytes / (double)(1L << 30):F1} GiB ({bytes} bytes)")
        : FormattableString.Invariant($"{bytes / (double)(1L << 20):F1} MiB ({bytes} bytes)");

    /// <summary>Throws when <paramref name="need"/> exceeds <paramref name="limit"/>.</summary>
    /// <param name="work">What would run, e.g. "The admm solver for N = 10000 samples of dimension 512".</param>
    /// <param name="need">Its estimate in bytes.</param>
    /// <param name="limit">What it may take.</param>
    /// <param name="alternative">What to do instead.</param>
    /// <exception cref="InsufficientMemoryException">The estimate exceeds the limit.</exception>
    public static void Check(string work, long need, long limit, string alternative)
    {
        if (need > limit)
            throw new InsufficientMemoryException($"{work} needs about {Format(need)}, more than the {Format(limit)} it may use. {alternative}");
    }

    /// <summary>Throws, naming the folder, when <paramref name="need"/> bytes would not fit in the free space of its drive.</summary>
    /// <param name="work">What needs the space, for the message.</param>
    /// <param name="folder">Where the files go.</param>
    /// <param name="need">Bytes.</param>
    /// <param name="alternative">What to do instead.</param>
    /// <exception cref="IOException">The space is not there.</exception>
    public static void CheckDisk(string work, string folder, long need, string alternative)
    {
        long free = new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;
        if (need > free)
            throw new IOException($"{work} needs about {Format(need)} on disk in {Path.GetFullPath(folder)}, more than the {Format(free)} free there. {alternative}");
    }
}
