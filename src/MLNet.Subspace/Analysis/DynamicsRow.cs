namespace MLNet.Subspace.Analysis;

/// <summary>One layer at one epoch, compared with the same layer at the final epoch.</summary>
/// <param name="LayerIndex">Position of the layer, 0 = first.</param>
/// <param name="Layer">The layer's name.</param>
/// <param name="Epoch">The epoch.</param>
/// <param name="SscCkaToFinal">SSC-CKA between this epoch's graph and the final epoch's.</param>
/// <param name="LinearCkaToFinal">Linear CKA between this epoch's activations and the final epoch's.</param>
/// <param name="Modularity">Modularity of this epoch's graph against the true classes.</param>
public sealed record DynamicsRow(int LayerIndex, string Layer, int Epoch, double SscCkaToFinal, double LinearCkaToFinal, double Modularity);
