using Microsoft.Data.Analysis;

namespace MLNet.Subspace.Analysis;

/// <summary>How each layer moves towards its final state during training.</summary>
/// <param name="PerEpoch">One row per (layer, epoch): layer_index, layer, epoch, ssc_cka_to_final, linear_cka_to_final, modularity.</param>
/// <param name="Settling">One row per layer: layer_index, layer, settle_epoch_ssc_cka, settle_epoch_linear_cka (first epoch from which similarity to the final epoch stays at or above the threshold).</param>
/// <param name="Threshold">The settling threshold used.</param>
public sealed record DynamicsResult(DataFrame PerEpoch, DataFrame Settling, double Threshold);
