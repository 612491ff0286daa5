using TorchSharp;

namespace MLNet.Subspace.Torch;

/// <summary>Seeds every source of randomness MLNet.Subspace uses, from one explicit seed.</summary>
public static class Seeding
{
    /// <summary>
    /// Seeds torch's global generators (CPU and, when present, CUDA) and returns a managed
    /// <see cref="Random"/> seeded the same way, so a run is reproducible from <paramref name="seed"/>.
    /// </summary>
    /// <param name="seed">The seed.</param>
    /// <returns>A managed generator for the caller's own sampling.</returns>
    /// <remarks>
    /// torch's global generator is process-wide: work that seeds it and then draws from it (weight
    /// initialisation, dropout) is reproducible only if nothing else draws from it in between, so run
    /// such work on one thread at a time, or pass a <see cref="Generator"/> where the API accepts one.
    /// </remarks>
    public static Random Apply(int seed)
    {
        torch.manual_seed(seed);
        if (torch.cuda.is_available()) torch.cuda.manual_seed_all(seed);
        return new Random(seed);
    }

    /// <summary>
    /// Runs <paramref name="create"/> (typically building a network, whose layers draw their initial weights
    /// from torch's global CPU generator) with that generator seeded from <paramref name="seed"/>, so the same
    /// seed gives the same initial weights; the generator's previous state is restored afterwards.
    /// </summary>
    /// <typeparam name="T">What <paramref name="create"/> returns.</typeparam>
    /// <param name="seed">The seed of the draws.</param>
    /// <param name="create">The work that draws from torch's global generator (on the CPU).</param>
    /// <returns>What <paramref name="create"/> returned.</returns>
    /// <remarks>
    /// Calls of this method run one at a time, so two of them on different threads do not interleave their
    /// draws; work that draws from the global generator by other means at the same time still would.
    /// </remarks>
    public static T Initialize<T>(int seed, Func<T> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        lock (GlobalGeneratorLock)
        {
            var generator = torch.Generator.Default;
            using var saved = generator.get_state();
            try
            {
                torch.manual_seed(seed);
                return create();
            }
            finally
            {
                generator.set_state(saved);
            }
        }
    }

    private static readonly object GlobalGeneratorLock = new();

    /// <summary>A torch generator of its own, seeded, for work that must not disturb the global stream.</summary>
    /// <param name="seed">The seed.</param>
    /// <returns>A CPU generator.</returns>
    public static torch.Generator Generator(int seed) => new torch.Generator((ulong)seed);
}
