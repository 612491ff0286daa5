using Microsoft.ML;
using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Numerics.Similarity;
using Comparer = MLNet.Subspace.ML.CkaComparer;

namespace MLNet.Subspace.ML;

/// <summary>MLNet.Subspace's entries on <c>mlContext.Transforms</c>.</summary>
public static partial class SubspaceCatalog
{
    /// <summary>
    /// A <see cref="Comparer"/>: CKA between vector columns of a view, the same columns of two views, or
    /// affinity graphs, returned as a DataFrame named by layer.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="kernel">The kernel for vector columns. Default <see cref="Comparer.Defaults.Kernel"/>.</param>
    /// <param name="debiased">Use the debiased HSIC. Default <see cref="Comparer.Defaults.Debiased"/>.</param>
    /// <param name="minibatchSize">Rows per minibatch, or null for all rows at once (default).</param>
    /// <returns>The comparer.</returns>
    /// <example><code>
    /// var comparison = mlContext.Transforms.CkaComparer(debiased: true, minibatchSize: 1000).Compare(activations, "conv1", "conv2", "conv3");
    /// comparison.Matrix.PrettyPrint();
    /// </code></example>
    public static Comparer CkaComparer(this TransformsCatalog catalog, CkaKernel kernel = Comparer.Defaults.Kernel, bool debiased = Comparer.Defaults.Debiased, int? minibatchSize = null)
        => CkaComparer(catalog, new Comparer.Options { Kernel = kernel, Debiased = debiased, MinibatchSize = minibatchSize });

    /// <summary>A <see cref="Comparer"/> with all options.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The options.</param>
    /// <returns>The comparer.</returns>
    public static Comparer CkaComparer(this TransformsCatalog catalog, Comparer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new Comparer(options);
    }

    /// <summary>A <see cref="Comparer"/> that compares vector columns by any layer-similarity measure instead of CKA (see <see cref="Comparer.Options.Similarity"/>).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="similarity">The measure and its settings.</param>
    /// <returns>The comparer.</returns>
    /// <example><code>
    /// var svcca = mlContext.Transforms.CkaComparer(new SimilarityOptions { Measure = SimilarityMeasure.Svcca }).Compare(activations, "conv1", "conv2", "conv3");
    /// Console.WriteLine($"{svcca.Measure}: {svcca.Matrix.ToText()}");
    /// </code></example>
    public static Comparer CkaComparer(this TransformsCatalog catalog, SimilarityOptions similarity)
    {
        ArgumentNullException.ThrowIfNull(similarity);
        return CkaComparer(catalog, new Comparer.Options { Similarity = similarity });
    }
}
