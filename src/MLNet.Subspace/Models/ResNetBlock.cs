namespace MLNet.Subspace.Models;

/// <summary>The residual block of a <see cref="ResNet"/>.</summary>
public enum ResNetBlock
{
    /// <summary>Two 3x3 convs (ResNet-18/34); expansion 1.</summary>
    Basic,

    /// <summary>1x1, 3x3, 1x1 convs (ResNet-50/101/152); expansion 4.</summary>
    Bottleneck,
}
