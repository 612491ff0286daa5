using Microsoft.Data.Analysis;

namespace MLNet.Subspace.Analysis;

/// <summary>How each layer moves towards its final state during training.</summary>
/// <param name="Epochs">One row per (layer, epoch), layer-major.</param>
/// <param name="Layers">One row per layer: when it settles.</param>
/// <param name="Threshold">The settling threshold used.</param>
public sealed record DynamicsResult(IReadOnlyList<DynamicsRow> Epochs, IReadOnlyList<SettlingRow> Layers, double Threshold)
{
    /// <summary>The column names of <see cref="PerEpoch"/> (dynamics.csv) and <see cref="Settling"/> (settling.csv).</summary>
    public static class Columns
    {
        /// <summary>layer_index.</summary>
        public const string LayerIndex = "layer_index";
        /// <summary>layer.</summary>
        public const string Layer = "layer";
        /// <summary>epoch.</summary>
        public const string Epoch = "epoch";
        /// <summary>ssc_cka_to_final.</summary>
        public const string SscCkaToFinal = "ssc_cka_to_final";
        /// <summary>linear_cka_to_final.</summary>
        public const string LinearCkaToFinal = "linear_cka_to_final";
        /// <summary>modularity.</summary>
        public const string Modularity = "modularity";
        /// <summary>settle_epoch_ssc_cka.</summary>
        public const string SettleEpochSscCka = "settle_epoch_ssc_cka";
        /// <summary>settle_epoch_linear_cka.</summary>
        public const string SettleEpochLinearCka = "settle_epoch_linear_cka";
    }

    /// <summary>The per-epoch rows as a DataFrame (names in <see cref="Columns"/>).</summary>
    public DataFrame PerEpoch => new(
        new PrimitiveDataFrameColumn<int>(Columns.LayerIndex, Epochs.Select(r => r.LayerIndex)),
        new StringDataFrameColumn(Columns.Layer, Epochs.Select(r => r.Layer)),
        new PrimitiveDataFrameColumn<int>(Columns.Epoch, Epochs.Select(r => r.Epoch)),
        new DoubleDataFrameColumn(Columns.SscCkaToFinal, Epochs.Select(r => r.SscCkaToFinal)),
        new DoubleDataFrameColumn(Columns.LinearCkaToFinal, Epochs.Select(r => r.LinearCkaToFinal)),
        new DoubleDataFrameColumn(Columns.Modularity, Epochs.Select(r => r.Modularity)));

    /// <summary>The settling rows as a DataFrame (names in <see cref="Columns"/>).</summary>
    public DataFrame Settling => new(
        new PrimitiveDataFrameColumn<int>(Columns.LayerIndex, Layers.Select(r => r.LayerIndex)),
        new StringDataFrameColumn(Columns.Layer, Layers.Select(r => r.Layer)),
        new PrimitiveDataFrameColumn<int>(Columns.SettleEpochSscCka, Layers.Select(r => r.SscCkaEpoch)),
        new PrimitiveDataFrameColumn<int>(Columns.SettleEpochLinearCka, Layers.Select(r => r.LinearCkaEpoch)));
}
