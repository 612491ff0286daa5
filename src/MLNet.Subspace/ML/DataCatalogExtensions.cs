using Microsoft.ML;
using MLNet.Subspace.Data;

namespace MLNet.Subspace.ML;

/// <summary>Loaders for the data formats MLNet.Subspace reads, on <c>mlContext.Data</c>.</summary>
public static class DataCatalogExtensions
{
    /// <summary>Loads an idx3 image file and its idx1 label file (MNIST / Fashion-MNIST format, raw or .gz).</summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="imagesPath">idx3 images.</param>
    /// <param name="labelsPath">idx1 labels.</param>
    /// <param name="classNames">Class names; default "0".."9".</param>
    /// <returns>A view with <c>Features</c> (vector of Single, shape 1 x H x W, values in [0, 1]) and <c>Label</c> (key with the class names).</returns>
    public static IDataView LoadFromIdx(this DataOperationsCatalog catalog, string imagesPath, string labelsPath, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return IdxReader.Load(imagesPath, labelsPath, classNames).ToDataView();
    }

    /// <summary>Loads a Fashion-MNIST split (see <see cref="IdxReader.LoadFashionMnist"/>).</summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="folder">Folder of the four IDX files; default: Debian's /usr/share/datasets/fashion-mnist.</param>
    /// <param name="train">True for the training split, false for the test split.</param>
    /// <param name="classNames">The Label key's names; null means Fashion-MNIST's for Fashion-MNIST's own labels (recognised by
    /// their content) and "0".."9" for other data in the same layout.</param>
    public static IDataView LoadFashionMnist(this DataOperationsCatalog catalog, string? folder = null, bool train = false, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return IdxReader.LoadFashionMnist(folder, train, classNames).ToDataView();
    }

    /// <summary>Loads CIFAR-10 binary batch files.</summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="batchFiles">The batch files.</param>
    /// <returns>A view with <c>Features</c> (vector of Single, shape 3 x 32 x 32) and <c>Label</c> (key with the class names).</returns>
    public static IDataView LoadFromCifar10(this DataOperationsCatalog catalog, params string[] batchFiles)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Cifar10Reader.Load(batchFiles).ToDataView();
    }

    /// <summary>Loads a numeric CSV matrix (rows = samples, no header) and, optionally, its label file.</summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="matrixPath">The matrix.</param>
    /// <param name="labelsPath">One integer label per line, or null.</param>
    /// <returns>A view with <c>Features</c> (vector of Single) and, with labels, <c>Label</c> (Int32).</returns>
    public static IDataView LoadFromCsvMatrix(this DataOperationsCatalog catalog, string matrixPath, string? labelsPath = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Matrix x = CsvMatrix.Read(matrixPath);
        var values = new float[x.Values.Length];
        for (int i = 0; i < values.Length; i++) values[i] = (float)x.Values[i];
        var builder = InMemoryDataView.Create(x.Rows).AddVector(ColumnNames.Features, values, [x.Columns]);
        if (labelsPath is not null) builder.AddScalar(ColumnNames.Label, CsvMatrix.ReadLabels(labelsPath, x.Rows));
        return builder.Build();
    }

    /// <summary>The dataset as a view: <c>Features</c> with the image shape recorded, <c>Label</c> as a key with the class names.</summary>
    /// <param name="data">The images.</param>
    public static InMemoryDataView ToDataView(this ImageDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return InMemoryDataView.Create(data.Count)
            .AddVector(ColumnNames.Features, data.Pixels, data.ImageShape)
            .AddKey(ColumnNames.Label, data.Labels, data.ClassNames)
            .Build();
    }
}
