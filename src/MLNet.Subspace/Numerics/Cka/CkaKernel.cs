namespace MLNet.Subspace.Numerics.Cka;

/// <summary>The kernel CKA applies to a representation.</summary>
public enum CkaKernel
{
    /// <summary>K = X X^T (linear CKA).</summary>
    Linear,

    /// <summary>K_ij = exp(-||x_i - x_j||^2 / (2 sigma^2)), sigma^2 = threshold^2 * median squared distance.</summary>
    Rbf,
}
