using System.Diagnostics;
using System.Runtime.InteropServices;
using MLNet.Subspace.Analysis;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Numerics.Graphs;
using MLNet.Subspace.Numerics.Ssc;
using MLNet.Subspace.Torch;
using static TorchSharp.torch;

namespace MLNet.Subspace.Pipeline;

/// <summary>
/// One epoch of an analysis run with its layers on disk (the route of every run, so the demo is a small full-scale run):
/// each layer's pass reads its activation file, forms the Gram matrix X Xᵀ once (2 N² d flops, the dominant cost), builds
/// the SSC graph from it (OMP solves from G alone) and writes the centred Gram for linear CKA; the epoch's linear-CKA matrix
/// and each layer's CKA to the final epoch are then sums over row blocks of those files. Memory: one layer and three N x N
/// matrices at a time (<see cref="LayerBytes"/>), never all layers.
/// </summary>
internal static class StreamedEpoch
{
    /// <summary>Wall-clock seconds of one layer's pass.</summary>
    /// <param name="Read">Reading the activation file.</param>
    /// <param name="Gram">The Gram product X Xᵀ.</param>
    /// <param name="Graph">The SSC codes and the graph.</param>
    /// <param name="CentredGram">Centring the Gram matrix and writing it.</param>
    public sealed record LayerPassSeconds(double Read, double Gram, double Graph, double CentredGram);

    /// <summary>The result of one layer's pass.</summary>
    /// <param name="Graph">The layer's graph.</param>
    /// <param name="Seconds">The wall-clock seconds of its phases.</param>
    /// <param name="CentredGramHash">The content hash of the centred Gram file written (<see cref="ActivationMatrixFile.ContentHash"/>).</param>
    public sealed record LayerPass(LayerGraph Graph, LayerPassSeconds Seconds, string CentredGramHash);

    /// <summary>Row blocks of the centred-Gram files are read this many bytes (as float64) at a time.</summary>
    private const long BlockBytes = 256L << 20;

    /// <summary>The pass over one layer: its graph, and its centred Gram matrix written to <paramref name="centredGram"/>.</summary>
    /// <param name="activations">The layer's activation file (N x d).</param>
    /// <param name="layer">Its name.</param>
    /// <param name="ssc">How to build the graph.</param>
    /// <param name="centredGram">Where the N x N centred Gram H X Xᵀ H goes (float32).</param>
    /// <returns>The graph, and the wall-clock seconds of the pass's phases (reading the file, the Gram product, the graph, the
    /// centred Gram written).</returns>
    public static LayerPass Layer(string activations, string layer, SscOptions ssc, string centredGram)
    {
        var (n, d) = ActivationMatrixFile.Shape(activations);
        long elementBytes = ssc.UseDouble ? 8 : 4;
        MemoryBudget.Check($"The pass over layer '{layer}' (N = {n} inputs, d = {d} features: the layer, its Gram matrix and the solver's work)",
            LayerBytes(n, d, elementBytes, ssc.SolvesFromGram), MemoryBudget.AvailableBytes(),
            ssc.SolvesFromGram ? "Use fewer probe inputs (ProbesPerClass) or fewer layers."
                : "Use fewer probe inputs (ProbesPerClass), a random projection of the features (ProjectedDimension), or the omp solver, which solves from the Gram matrix alone.");
        MemoryBudget.CheckDisk($"The centred Gram matrix of layer '{layer}'", Path.GetDirectoryName(Path.GetFullPath(centredGram))!, 4L * n * n,
            "Free disk space or use fewer probe inputs (ProbesPerClass).");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var clock = Stopwatch.StartNew();
        var x = ActivationMatrixFile.ReadTensor(activations).to(ssc.DType, ssc.Device ?? CPU);
        double read = Lap(clock);
        var gram = Gram(x);
        double product = Lap(clock);
        var (expression, graph) = ssc.BuildGraphFromGram(gram, () => x);
        double solve = Lap(clock);
        string hash = WriteCentred(gram, centredGram);
        return new LayerPass(new LayerGraph(layer, d, graph, expression), new LayerPassSeconds(read, product, solve, Lap(clock)), hash);
    }

    /// <summary>The end of a layer's pass whose Gram matrix and codes were computed apart (<see cref="Units.CodeBlockUnit"/>s
    /// over <see cref="Units.GramRowsUnit"/>s): the graph from the codes, and the centred Gram written, as <see cref="Layer"/> does.</summary>
    /// <param name="gram">The layer's N x N Gram matrix X Xᵀ, as <see cref="Gram"/> gives it; centred in place.</param>
    /// <param name="expression">The codes of every sample.</param>
    /// <param name="layer">The layer's name.</param>
    /// <param name="features">d.</param>
    /// <param name="ssc">How the graph is built from the codes.</param>
    /// <param name="centredGram">Where the centred Gram goes (float32).</param>
    /// <returns>The graph, and the content hash of the centred Gram file.</returns>
    public static (LayerGraph Graph, string CentredGramHash) Finish(Tensor gram, SelfExpression expression, string layer, int features, SscOptions ssc, string centredGram)
    {
        var graph = AffinityGraph.FromCodes(expression.Coefficients, ssc.Affinity);
        return (new LayerGraph(layer, features, graph, expression), WriteCentred(gram, centredGram));
    }

    /// <summary>Centres <paramref name="gram"/> in place (H G H) and writes it as float32; returns the file's content hash.</summary>
    private static string WriteCentred(Tensor gram, string path)
    {
        CkaMath.CenterInPlace(gram, debiased: false);
        var centred = gram.to(ScalarType.Float32).cpu().contiguous();
        return ActivationMatrixFile.Write(path, MemoryMarshal.Cast<byte, float>(centred.bytes), (int)gram.shape[0]);
    }

    /// <summary>Rows from which <see cref="Gram"/> computes only the upper block triangle.</summary>
    internal const int SymmetricBlocksFrom = 4_096;

    /// <summary>X Xᵀ. From <see cref="SymmetricBlocksFrom"/> rows on, in four row blocks, each against itself and the rows after
    /// it, the lower part copied from the upper: 5/8 of the flops of one product, the same dot products (bit-identical); at
    /// N = 10,000 it measured 1.7-3.7x faster than one product (docs/benchmarks.md). The blocks are <see cref="GramRows"/>, so
    /// blocks computed apart (<see cref="Units.GramRowsUnit"/>) and put together by <see cref="AssembleGram"/> give the same bits.</summary>
    internal static Tensor Gram(Tensor x)
    {
        long n = x.shape[0];
        return GramBlocks(n) == 1 ? GramRows(x, 0) : AssembleGram(n, x.dtype, x.device, block => GramRows(x, block));
    }

    /// <summary>The row blocks of <see cref="Gram"/> at N rows: one below <see cref="SymmetricBlocksFrom"/>, four from it on.</summary>
    internal static int GramBlocks(long n) => n < SymmetricBlocksFrom ? 1 : 4;

    /// <summary>Block <paramref name="block"/>'s rows of X Xᵀ: its first row and row count.</summary>
    internal static (long Start, long Rows) GramBlockRows(long n, int block)
    {
        int blocks = GramBlocks(n);
        if ((uint)block >= (uint)blocks) throw new ArgumentOutOfRangeException(nameof(block), $"Expected a Gram row block in [0, {blocks}) at N = {n}. Got {block} instead.");
        long size = (n + blocks - 1) / blocks, start = Math.Min(n, block * size);
        return (start, Math.Min(size, n - start));
    }

    /// <summary>Row block <paramref name="block"/> of X Xᵀ against the rows from its first on (rows x (N − start)); with one block,
    /// the whole product.</summary>
    internal static Tensor GramRows(Tensor x, int block)
    {
        long n = x.shape[0];
        if (GramBlocks(n) == 1) return x.matmul(x.t());
        var (start, rows) = GramBlockRows(n, block);
        return x.narrow(0, start, rows).matmul(x.narrow(0, start, n - start).t());
    }

    /// <summary>X Xᵀ from its row blocks (<see cref="GramRows"/>, asked for in order), the lower part copied from the upper.</summary>
    internal static Tensor AssembleGram(long n, ScalarType dtype, Device device, Func<int, Tensor> rowsOf)
    {
        int blocks = GramBlocks(n);
        if (blocks == 1) return rowsOf(0);
        var gram = empty(n, n, dtype, device);
        for (int block = 0; block < blocks; block++)
        {
            var (start, rows) = GramBlockRows(n, block);
            if (rows == 0) continue;
            using (var scope = NewDisposeScope()) gram.narrow(0, start, rows).narrow(1, start, n - start).copy_(rowsOf(block));
            if (start > 0) gram.narrow(0, start, rows).narrow(1, 0, start).copy_(gram.narrow(0, 0, start).narrow(1, start, rows).t());
        }
        return gram;
    }

    private static double Lap(Stopwatch clock)
    {
        double seconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return seconds;
    }

    /// <summary>Copies of the N x d samples a solver that reads them (<see cref="SscOptions.SolvesFromGram"/> false) holds
    /// besides the layer itself: the unit-length rows, their transpose, the solver's working copy. Measured: ADMM on a
    /// pretrained ResNet-18's first conv (N = 2,000, d = 802,816, float32) reached 22.4 GB, 3.5 times the layer.</summary>
    internal const int SampleCopiesOfSolversOnSamples = 3;

    /// <summary>Bytes of one layer's pass: the samples (N d), three N x N matrices (G, its unit-length scaling inside the
    /// solver, the float32 copy written out) and the solver's O(N k) codes; a solver that reads the samples adds
    /// <see cref="SampleCopiesOfSolversOnSamples"/> copies of them.</summary>
    public static long LayerBytes(long n, long d, long elementBytes, bool solvesFromGram = true)
        => elementBytes * ((solvesFromGram ? 1 : 1 + SampleCopiesOfSolversOnSamples) * n * d + 3 * n * n) + 64 * n;

    /// <summary>The epoch's linear-CKA matrix from its centred-Gram files and, when <paramref name="finalGrams"/> is given, each
    /// layer's linear CKA to the same layer of the final epoch (both from one pass over the files, in this process).</summary>
    /// <param name="grams">The epoch's centred-Gram files, in layer order.</param>
    /// <param name="finalGrams">The final epoch's, or null for the final epoch itself.</param>
    /// <param name="layers">Layer names, for messages.</param>
    /// <param name="n">N.</param>
    /// <returns>L x L linear CKA (biased) and per layer the CKA to the final epoch (1 for the final epoch).</returns>
    public static (double[,] Linear, double[] ToFinal) Cka(IReadOnlyList<string> grams, IReadOnlyList<string>? finalGrams, IReadOnlyList<string> layers, int n)
    {
        var files = finalGrams is null ? grams : grams.Concat(finalGrams).ToList();
        var products = CentredGramProducts.Products(files.Count, n, CkaBlockRows(files.Count, n), (start, count) => ReadRows(files, start, count, n));
        return Cka(products, layers, finalGrams is not null);
    }

    /// <summary>Rows per block of the CKA pass over <paramref name="files"/> N x N files: <see cref="BlockBytes"/> of float64 at a time.</summary>
    internal static long CkaBlockRows(int files, long n) => Math.Max(1, BlockBytes / (8L * files * n));

    /// <summary>The same rows of every file, as count x N tensors.</summary>
    internal static IReadOnlyList<Tensor> ReadRows(IReadOnlyList<string> files, long start, long count, long n)
        => files.Select(f => tensor(ActivationMatrixFile.ReadRows(f, start, (int)count), [count, n])).ToList();

    /// <summary>The L x L linear CKA and the CKA to the final epoch from the inner products of the epoch's L files and, when
    /// <paramref name="withFinal"/>, the final epoch's L after them.</summary>
    internal static (double[,] Linear, double[] ToFinal) Cka(double[,] products, IReadOnlyList<string> layers, bool withFinal)
    {
        var names = withFinal ? layers.Concat(layers.Select(l => $"{l} (final epoch)")).ToList() : layers;
        int l = layers.Count;
        var linear = new double[l, l];
        for (int a = 0; a < l; a++)
            for (int b = 0; b < l; b++)
                linear[a, b] = a == b ? 1 : CentredGramProducts.Cka(products, a, b, names);
        for (int a = 0; a < l; a++) CentredGramProducts.Cka(products, a, a, names); // a constant layer is refused, naming it
        var toFinal = Enumerable.Range(0, l).Select(a => withFinal ? CentredGramProducts.Cka(products, a, l + a, names) : 1).ToArray();
        return (linear, toFinal);
    }
}
