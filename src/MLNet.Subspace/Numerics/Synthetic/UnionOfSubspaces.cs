using MLNet.Subspace.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Synthetic;

/// <summary>
/// Points on a union of random linear subspaces (You et al.'s synthetic protocol): for each subspace a random orthonormal
/// basis of dimension d in R<sup>D</sup>, points uniform on its unit sphere, plus isotropic Gaussian noise.
/// </summary>
public static class UnionOfSubspaces
{
    /// <summary>Generates the data, one sample per row, grouped by subspace.</summary>
    /// <param name="ambient">D.</param>
    /// <param name="dimension">d ≤ D.</param>
    /// <param name="subspaces">Number of subspaces.</param>
    /// <param name="perSubspace">Points per subspace.</param>
    /// <param name="noise">Standard deviation of the added noise.</param>
    /// <param name="seed">Seed (a private torch generator; the global stream is not touched).</param>
    /// <returns>X (N x D) and the subspace label of every row.</returns>
    public static (Matrix X, int[] Labels) Generate(int ambient = 9, int dimension = 6, int subspaces = 5, int perSubspace = 50, double noise = 0, int seed = 0)
    {
        if (ambient < 1) throw new ArgumentOutOfRangeException(nameof(ambient), $"The ambient dimension must be 1 or more. Got {ambient} instead.");
        if (dimension < 1 || dimension > ambient) throw new ArgumentOutOfRangeException(nameof(dimension), $"The subspace dimension must be in [1, {ambient}]. Got {dimension} instead.");
        if (subspaces < 1) throw new ArgumentOutOfRangeException(nameof(subspaces), $"The number of subspaces must be 1 or more. Got {subspaces} instead.");
        if (perSubspace < 1) throw new ArgumentOutOfRangeException(nameof(perSubspace), $"The points per subspace must be 1 or more. Got {perSubspace} instead.");
        if (!(noise >= 0)) throw new ArgumentOutOfRangeException(nameof(noise), $"The noise must be 0 or more. Got {noise} instead.");
        using var scope = NewDisposeScope();
        var gen = new Generator((ulong)seed);
        var blocks = new List<Tensor>();
        for (int s = 0; s < subspaces; s++)
        {
            var basis = linalg.qr(randn(ambient, dimension, ScalarType.Float64, generator: gen)).Q;
            var coef = randn(dimension, perSubspace, ScalarType.Float64, generator: gen);
            coef = coef / coef.norm(0, keepdim: true);
            blocks.Add(basis.matmul(coef).t());
        }
        var x = cat(blocks, 0);
        if (noise > 0) x = x + noise * randn(x.shape, ScalarType.Float64, generator: gen);
        var labels = Enumerable.Range(0, subspaces).SelectMany(s => Enumerable.Repeat(s, perSubspace)).ToArray();
        return (new Matrix(x.contiguous().data<double>().ToArray(), subspaces * perSubspace, ambient), labels);
    }
}
