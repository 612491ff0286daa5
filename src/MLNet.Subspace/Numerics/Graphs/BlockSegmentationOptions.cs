namespace MLNet.Subspace.Numerics.Graphs;

/// <summary>How <see cref="BlockSegmentation"/> cuts an L x L similarity matrix into contiguous blocks and tests them.</summary>
public sealed record BlockSegmentationOptions
{
    /// <summary>Defaults, defined once.</summary>
    public static class Defaults
    {
        /// <summary>Largest number of blocks scored (capped at L): twice the four stages of a ResNet.</summary>
        public const int MaxBlocks = 8;
        /// <summary>Shuffled layer orders in the null distribution; the smallest p-value is 1 / (1 + this) = 0.001.</summary>
        public const int Permutations = 999;
        /// <summary>Seed of the shuffled layer orders.</summary>
        public const int Seed = 1;
        /// <summary>A p-value at or above this means no block structure: one block is reported.</summary>
        public const double Significance = 0.05;
    }

    /// <summary>Largest number of blocks scored, at least 1 (capped at L). Default <see cref="Defaults.MaxBlocks"/>.</summary>
    public int MaxBlocks { get; init; } = Defaults.MaxBlocks;

    /// <summary>Shuffled layer orders in the null distribution, at least 1. Default <see cref="Defaults.Permutations"/>.</summary>
    public int Permutations { get; init; } = Defaults.Permutations;

    /// <summary>Seed of the shuffled layer orders: the same seed gives the same result. Default <see cref="Defaults.Seed"/>.</summary>
    public int Seed { get; init; } = Defaults.Seed;

    /// <summary>Level in (0, 1) below which the p-value counts as block structure. Default <see cref="Defaults.Significance"/>.</summary>
    public double Significance { get; init; } = Defaults.Significance;

    /// <summary>Checks every option, naming the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        static void Check(bool ok, string name, string expected, object value)
        {
            if (!ok) throw new ArgumentOutOfRangeException(name, value, $"The '{name}' option must be {expected}. Got {value} instead.");
        }
        Check(MaxBlocks >= 1, nameof(MaxBlocks), "an integer of 1 or more", MaxBlocks);
        Check(Permutations >= 1, nameof(Permutations), "an integer of 1 or more", Permutations);
        Check(Significance is > 0 and < 1, nameof(Significance), "in (0, 1)", Significance);
    }
}
