namespace MLNet.Subspace.Numerics.Graphs;

/// <summary>How sparse codes become an affinity graph (Elhamifar–Vidal post-processing, all optional).</summary>
public sealed class AffinityOptions
{
    /// <summary>Keep, per code, the largest |c| until their share of the code's l1 mass reaches ρ (1 keeps everything).</summary>
    public double KeepMass { get; init; } = 1.0;

    /// <summary>Keep at most this many largest |c| per code (null keeps all).</summary>
    public int? TopK { get; init; }

    /// <summary>Divide each code by its largest |c| before symmetrising.</summary>
    public bool NormalizeByMax { get; init; }

    /// <summary>Divide each code by its l2 norm before symmetrising.</summary>
    public bool NormalizeRowL2 { get; init; }

    /// <summary>Checks the options.</summary>
    /// <param name="samples">N, for the top-k bound.</param>
    public void Validate(int samples)
    {
        if (!(KeepMass > 0 && KeepMass <= 1))
            throw new ArgumentOutOfRangeException(nameof(KeepMass), $"The 'KeepMass' option of AffinityOptions must be a number in (0, 1]. Got {KeepMass} instead.");
        if (TopK is int k && (k < 1 || k > samples - 1))
            throw new ArgumentOutOfRangeException(nameof(TopK), $"The 'TopK' option of AffinityOptions must be an integer in [1, N - 1] = [1, {samples - 1}]. Got {k} instead.");
        if (NormalizeByMax && NormalizeRowL2)
            throw new ArgumentException("Choose at most one of 'NormalizeByMax' and 'NormalizeRowL2' in AffinityOptions.");
    }
}
