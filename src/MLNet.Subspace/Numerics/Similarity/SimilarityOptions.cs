using System.Globalization;
using MLNet.Subspace.Numerics.Cka;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Similarity;

/// <summary>
/// One layer-similarity measure with its settings: the single entry point to every measure of this folder and to linear CKA,
/// so a comparison of layers takes the measure as an option (the analysis' <c>LayerSimilarity</c>, <c>subspace similarity</c>).
/// </summary>
/// <remarks>Each measure's cost in N (inputs) and d (features) is in its own class's documentation; docs/similarity.md lists them.</remarks>
public sealed record SimilarityOptions
{
    /// <summary>Defaults, defined once.</summary>
    public static class Defaults
    {
        /// <summary>The measure: linear CKA.</summary>
        public const SimilarityMeasure Measure = SimilarityMeasure.LinearCka;
        /// <summary>CCA ridge λ (0 = plain CCA).</summary>
        public const double Ridge = 0;
        /// <summary>SVCCA's kept variance share.</summary>
        public const double Keep = Svcca.DefaultKeep;
        /// <summary>The shape metric's alpha (1 = Procrustes-like angle, 0 = CCA-like).</summary>
        public const double Alpha = 1;
        /// <summary>RSA's dissimilarity.</summary>
        public const RdmDistance Distance = RdmDistance.Correlation;
        /// <summary>RSA's comparison of the two RDMs.</summary>
        public const RdmComparison Comparison = RdmComparison.Spearman;
        /// <summary>Neighbours per input for the k-NN measures.</summary>
        public const int K = 10;
    }

    /// <summary>The measure. Default <see cref="Defaults.Measure"/>.</summary>
    public SimilarityMeasure Measure { get; init; } = Defaults.Measure;

    /// <summary>CCA's ridge λ, 0 or more (CcaR2, CcaMean). Default <see cref="Defaults.Ridge"/>.</summary>
    public double Ridge { get; init; } = Defaults.Ridge;

    /// <summary>SVCCA's kept variance share, in (0, 1]. Default <see cref="Defaults.Keep"/>.</summary>
    public double Keep { get; init; } = Defaults.Keep;

    /// <summary>The shape metric's alpha, in [0, 1]. Default <see cref="Defaults.Alpha"/>.</summary>
    public double Alpha { get; init; } = Defaults.Alpha;

    /// <summary>RSA's dissimilarity. Default <see cref="Defaults.Distance"/>.</summary>
    public RdmDistance Distance { get; init; } = Defaults.Distance;

    /// <summary>RSA's comparison. Default <see cref="Defaults.Comparison"/>.</summary>
    public RdmComparison Comparison { get; init; } = Defaults.Comparison;

    /// <summary>Neighbours per input for MutualKnn, CycleKnn and Cknna, 1 or more (below N). Default <see cref="Defaults.K"/>.</summary>
    public int K { get; init; } = Defaults.K;

    /// <summary>Whether a larger value means more alike (false for the distances: Procrustes, ShapeMetric and PermutationMetric).</summary>
    public bool HigherIsMoreSimilar => Measure is not (SimilarityMeasure.Procrustes or SimilarityMeasure.ShapeMetric or SimilarityMeasure.PermutationMetric);

    /// <summary>Whether m(X, Y) = m(Y, X) (false for Pwcca, CycleKnn and Cknna, whose HSIC of the masked, not symmetric, Gram matrices has the term colsum(K) . rowsum(L)).</summary>
    public bool Symmetric => Measure is not (SimilarityMeasure.Pwcca or SimilarityMeasure.CycleKnn or SimilarityMeasure.Cknna);

    /// <summary>Checks the settings, naming the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        Check(Enum.IsDefined(Measure), nameof(Measure), $"one of {MeasureNames}", Measure);
        Check(Ridge >= 0 && double.IsFinite(Ridge), nameof(Ridge), "a finite number of 0 or more", Ridge);
        Check(Keep > 0 && Keep <= 1, nameof(Keep), "a number in (0, 1]", Keep);
        Check(Alpha >= 0 && Alpha <= 1, nameof(Alpha), "a number in [0, 1]", Alpha);
        Check(Enum.IsDefined(Distance), nameof(Distance), "euclidean, correlation or cosine", Distance);
        Check(Enum.IsDefined(Comparison), nameof(Comparison), "spearman, pearson, kendalltaua or cosine", Comparison);
        Check(K >= 1, nameof(K), "an integer of 1 or more", K);
    }

    /// <summary>The measure between <paramref name="x"/> and <paramref name="y"/> (N x d1 and N x d2, rows the same inputs).</summary>
    /// <param name="x">The first representation.</param>
    /// <param name="y">The second representation.</param>
    public double Compute(Tensor x, Tensor y)
    {
        Validate();
        return Measure switch
        {
            SimilarityMeasure.LinearCka => CkaMath.Compute(x, y),
            SimilarityMeasure.CcaR2 => Cca.MeanSquaredCorrelation(x, y, Ridge),
            SimilarityMeasure.CcaMean => Cca.MeanCorrelation(x, y, Ridge),
            SimilarityMeasure.Svcca => Svcca.MeanCorrelation(x, y, Keep),
            SimilarityMeasure.Pwcca => Pwcca.Compute(x, y),
            SimilarityMeasure.Procrustes => Procrustes.Distance(x, y),
            SimilarityMeasure.ShapeMetric => ShapeMetric.AngularDistance(x, y, Alpha),
            SimilarityMeasure.Rsa => Rsa.Compute(x, y, Distance, Comparison),
            SimilarityMeasure.MutualKnn => NearestNeighbourAlignment.MutualKnn(x, y, K),
            SimilarityMeasure.CycleKnn => NearestNeighbourAlignment.CycleKnn(x, y, K),
            SimilarityMeasure.Cknna => NearestNeighbourAlignment.Cknna(x, y, K),
            SimilarityMeasure.PermutationMetric => PermutationMetric.AngularDistance(x, y),
            _ => throw new ArgumentOutOfRangeException(nameof(Measure), $"The 'Measure' option must be one of {MeasureNames}. Got {Measure} instead."),
        };
    }

    /// <summary>
    /// The per-layer half of the measure (centring, SVD bases, Gram matrix, RDM ranks or neighbour lists), done once per layer
    /// when many pairs are compared; <see cref="Compare"/> is the pair step. Allocates in the caller's dispose scope.
    /// </summary>
    /// <param name="x">N x d, one input per row.</param>
    /// <param name="name">The layer's name, for messages.</param>
    internal PreparedLayer Prepare(Tensor x, string name)
    {
        if (Measure is not (SimilarityMeasure.Rsa or SimilarityMeasure.MutualKnn or SimilarityMeasure.CycleKnn or SimilarityMeasure.Cknna))
            Cca.CheckOne(x, name, MeasureName(Measure));
        return Measure switch
        {
            SimilarityMeasure.LinearCka => CentredGram.Prepare(x, name),
            SimilarityMeasure.CcaR2 or SimilarityMeasure.CcaMean => Cca.Prepare(x, name, Ridge),
            SimilarityMeasure.Svcca => Svcca.Prepare(x, name, Keep),
            SimilarityMeasure.Pwcca => Pwcca.Prepare(x, name),
            SimilarityMeasure.Procrustes => Procrustes.Prepare(x, name),
            SimilarityMeasure.ShapeMetric => ShapeMetric.Prepare(x, name, Alpha),
            SimilarityMeasure.Rsa => Rsa.Prepare(x, name, Distance, Comparison),
            SimilarityMeasure.MutualKnn => NearestNeighbourAlignment.Prepare(x, name, K, withMask: true),
            SimilarityMeasure.CycleKnn => NearestNeighbourAlignment.Prepare(x, name, K, withMask: false),
            SimilarityMeasure.Cknna => NearestNeighbourAlignment.PrepareCknna(x, name, K),
            SimilarityMeasure.PermutationMetric => PermutationMetric.Prepare(x, name),
            _ => throw new ArgumentOutOfRangeException(nameof(Measure), $"The 'Measure' option must be one of {MeasureNames}. Got {Measure} instead."),
        };
    }

    /// <summary>The measure between two layers made by <see cref="Prepare"/> with these options (the pair step; its cost is in each measure's class).</summary>
    /// <param name="x">The first prepared layer.</param>
    /// <param name="y">The second, over the same N inputs.</param>
    internal double Compare(PreparedLayer x, PreparedLayer y)
    {
        if (x.Rows != y.Rows)
            throw new ArgumentException($"The first layer has {x.Rows} rows but the second has {y.Rows}; {MeasureName(Measure)} compares the same N inputs, so the row counts must match.");
        return Measure switch
        {
            SimilarityMeasure.LinearCka => CentredGram.Compare((CentredGram)x, (CentredGram)y),
            SimilarityMeasure.CcaR2 => Cca.PairMeanSquaredCorrelation((Cca.Directions)x, (Cca.Directions)y),
            SimilarityMeasure.CcaMean or SimilarityMeasure.Svcca => Cca.PairCorrelations((Cca.Directions)x, (Cca.Directions)y).Average(),
            SimilarityMeasure.Pwcca => Pwcca.Pair((Cca.Directions)x, (Cca.Directions)y),
            SimilarityMeasure.Procrustes => Procrustes.PairDistance((Cca.Directions)x, (Cca.Directions)y),
            SimilarityMeasure.ShapeMetric => ShapeMetric.PairDistance((Cca.Directions)x, (Cca.Directions)y),
            SimilarityMeasure.Rsa => Rsa.Pair((Rsa.Dissimilarities)x, (Rsa.Dissimilarities)y, Comparison),
            SimilarityMeasure.MutualKnn => NearestNeighbourAlignment.PairMutualKnn((NearestNeighbourAlignment.Neighbourhoods)x, (NearestNeighbourAlignment.Neighbourhoods)y),
            SimilarityMeasure.CycleKnn => NearestNeighbourAlignment.PairCycleKnn((NearestNeighbourAlignment.Neighbourhoods)x, (NearestNeighbourAlignment.Neighbourhoods)y),
            SimilarityMeasure.Cknna => NearestNeighbourAlignment.PairCknna((NearestNeighbourAlignment.Neighbourhoods)x, (NearestNeighbourAlignment.Neighbourhoods)y),
            SimilarityMeasure.PermutationMetric => PermutationMetric.PairDistance((PermutationMetric.Centred)x, (PermutationMetric.Centred)y),
            _ => throw new ArgumentOutOfRangeException(nameof(Measure), $"The 'Measure' option must be one of {MeasureNames}. Got {Measure} instead."),
        };
    }

    /// <summary>
    /// Bytes one prepared layer of N inputs and d features keeps (what stays in memory while all pairs are compared): a little
    /// over N^2 / 2 floats for linear CKA's Gram blocks (<see cref="CentredGram.PackedValues"/>), N^2 for the RDM and mask
    /// based measures, N min(N, d) for the SVD bases (plus min(N, d) d for PWCCA's loadings) and for Procrustes' and the
    /// alpha = 1 shape metric's (N - 1) x min(d, N - 1) layers, N d for the permutation metric's centred matrices, N k for the
    /// neighbour lists.
    /// </summary>
    internal long PreparedBytes(long n, long d)
    {
        long r = Math.Min(n, d);
        return Measure switch
        {
            SimilarityMeasure.LinearCka => 8 * CentredGram.PackedValues(n),
            SimilarityMeasure.Rsa => 8 * (n * (n - 1) / 2),
            SimilarityMeasure.MutualKnn => 4 * n * n + 8 * n * K,
            SimilarityMeasure.CycleKnn => 8 * n * K,
            SimilarityMeasure.Cknna => 16 * n * n + 8 * n * K,
            SimilarityMeasure.Pwcca => 8 * (n * r + r * d),
            SimilarityMeasure.PermutationMetric => 8 * n * d,
            _ => 8 * n * r,
        };
    }

    /// <summary>The measure and the settings that apply to it, for manifests, tables and JSON (e.g. "rsa(distance=correlation, comparison=spearman)").</summary>
    public string Describe() => MeasureName(Measure) + Measure switch
    {
        SimilarityMeasure.CcaR2 or SimilarityMeasure.CcaMean => Invariant($"(ridge={Ridge})"),
        SimilarityMeasure.Svcca => Invariant($"(keep={Keep})"),
        SimilarityMeasure.ShapeMetric => Invariant($"(alpha={Alpha})"),
        SimilarityMeasure.Rsa => $"(distance={Distance.ToString().ToLowerInvariant()}, comparison={Comparison.ToString().ToLowerInvariant()})",
        SimilarityMeasure.MutualKnn or SimilarityMeasure.CycleKnn or SimilarityMeasure.Cknna => Invariant($"(k={K})"),
        _ => "",
    };

    /// <summary>Every measure's name, as command lines spell them.</summary>
    public static string MeasureNames => string.Join(", ", Enum.GetValues<SimilarityMeasure>().Select(MeasureName));

    /// <summary>A measure's name: its enum name in lower case with hyphens between words (linear-cka, cca-r2, mutual-knn, ...).</summary>
    /// <param name="measure">A measure.</param>
    public static string MeasureName(SimilarityMeasure measure)
        => string.Concat(measure.ToString().Select((ch, i) => i > 0 && char.IsUpper(ch) && !char.IsUpper(measure.ToString()[i - 1]) ? "-" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));

    /// <summary>The measure named <paramref name="name"/> (case-insensitive, as <see cref="MeasureName"/> spells it).</summary>
    /// <param name="name">A measure's name.</param>
    /// <param name="option">The option the name came from, for the message.</param>
    /// <exception cref="ArgumentException">Not a measure's name.</exception>
    public static SimilarityMeasure ParseMeasure(string name, string option = nameof(Measure))
    {
        foreach (var measure in Enum.GetValues<SimilarityMeasure>())
            if (string.Equals(MeasureName(measure), name?.Trim(), StringComparison.OrdinalIgnoreCase)) return measure;
        throw new ArgumentException($"The '{option}' option must be one of {MeasureNames}. Got '{name}' instead.");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void Check(bool ok, string option, string expected, object value)
    {
        if (!ok) throw new ArgumentOutOfRangeException(option, $"The '{option}' similarity option must be {expected}. Got {value} instead.");
    }
}
