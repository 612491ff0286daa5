namespace MLNet.Subspace.Models.Activations;

/// <summary>What <see cref="OnnxActivationSource"/> does to input values (in [0, 1]) before the network sees them.</summary>
public enum OnnxInputNormalization
{
    /// <summary>Feed the values as they are.</summary>
    None,

    /// <summary>Per channel (x − mean) / std with the ImageNet statistics (mean 0.485, 0.456, 0.406; std 0.229, 0.224, 0.225); needs 3 channels.</summary>
    ImageNet,
}
