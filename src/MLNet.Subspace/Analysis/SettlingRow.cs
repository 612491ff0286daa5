namespace MLNet.Subspace.Analysis;

/// <summary>When one layer settles: the first epoch from which its similarity to the final epoch stays at or above the threshold.</summary>
/// <param name="LayerIndex">Position of the layer, 0 = first.</param>
/// <param name="Layer">The layer's name.</param>
/// <param name="SscCkaEpoch">Settling epoch by SSC-CKA.</param>
/// <param name="LinearCkaEpoch">Settling epoch by linear CKA.</param>
public sealed record SettlingRow(int LayerIndex, string Layer, int SscCkaEpoch, int LinearCkaEpoch);
