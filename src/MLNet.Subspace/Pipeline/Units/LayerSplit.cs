namespace MLNet.Subspace.Pipeline.Units;

/// <summary>How a <see cref="LayerGraphUnit"/> is split into parts (<see cref="LayerGraphUnit.Parts"/>): the Gram matrix's row blocks
/// (<see cref="GramRowsUnit"/>, as many as the layer pass forms it in: one below 4,096 samples, four from there on) and
/// <see cref="ColumnBlocks"/> blocks of samples' codes (<see cref="CodeBlockUnit"/>). Not part of any id: the parts give the layer's
/// result bit for bit.</summary>
/// <param name="Samples">N, the layer's rows (read from its activation file when the parts are made).</param>
/// <param name="ColumnBlocks">Blocks of samples whose codes are solved apart, in [2, N].</param>
public sealed record LayerSplit(int Samples, int ColumnBlocks)
{
    /// <summary>The row blocks of the layer's Gram matrix.</summary>
    public int GramRowBlocks => StreamedEpoch.GramBlocks(Samples);

    /// <summary>Block <paramref name="block"/>'s first sample and sample count (blocks of ⌈N / blocks⌉, the last shorter).</summary>
    /// <param name="block">In [0, <see cref="ColumnBlocks"/>).</param>
    public (int Start, int Count) Columns(int block)
    {
        if ((uint)block >= (uint)ColumnBlocks) throw new ArgumentOutOfRangeException(nameof(block), $"Expected a column block in [0, {ColumnBlocks}). Got {block} instead.");
        int size = (Samples + ColumnBlocks - 1) / ColumnBlocks, start = Math.Min(Samples, block * size);
        return (start, Math.Min(size, Samples - start));
    }

    /// <summary>At most <paramref name="columnBlocks"/> blocks of N samples, none empty (10 samples in 6 blocks of 2 are 5).</summary>
    internal static LayerSplit Of(int samples, int columnBlocks)
    {
        int size = (samples + columnBlocks - 1) / Math.Max(columnBlocks, 1);
        return new LayerSplit(samples, size < 1 ? columnBlocks : (samples + size - 1) / size);
    }

    internal void Validate()
    {
        if (Samples < 2 || ColumnBlocks < 2 || ColumnBlocks > Samples || Columns(ColumnBlocks - 1).Count == 0)
            throw new ArgumentOutOfRangeException(nameof(ColumnBlocks), $"A layer of N = {Samples} samples splits into 2 to N column blocks of ⌈N / blocks⌉ samples, none empty. Got {ColumnBlocks} instead.");
    }
}
