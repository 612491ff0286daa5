using MLNet.Subspace.Torch;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Cka;

/// <summary>How <see cref="LinearKernelProducts"/> forms the pairwise inner products of L linear kernels.</summary>
internal enum LinearKernelRoute
{
    /// <summary>Feature space: C = Z^T Z of the column-centred layers side by side, &lt;Kc_a, Kc_b&gt; = ||C_ab||_F^2. 2 N (Σd)^2 flops, (Σd)^2 x 8 bytes.</summary>
    Features,

    /// <summary>Gram tiles: the upper-triangular b x b tiles of every Kc_l = Xc_l Xc_l^T, one tile of all L layers at a time. N^2 Σd + L^2 N^2 flops, L b^2 x 8 bytes.</summary>
    GramTiles,
}

/// <summary>
/// The L x L centred inner products &lt;Kc_a, Kc_b&gt; of the linear kernels K_l = X_l X_l^T of L layers over the same N rows
/// (biased centring, or the U-statistic numerators when debiased), without ever holding an N x N matrix, let alone L of them.
/// </summary>
/// <remarks>
/// <para>Rows are read through a <see cref="RowReader"/> in chunks, converted to float64 and centred by the float64 column means
/// there, so the input may be float32 in memory (or a view over managed arrays) and is never copied whole.</para>
/// <para>With raw products P_ab = &lt;K_a, K_b&gt; of the feature-centred kernels, their row sums r (zero up to rounding) and
/// diagonals q (squared row norms), the centred numerators follow as for sparse graphs (docs/cka.md):
/// biased P_ab - (2/N) r_a.r_b + s_a s_b / N^2; debiased, with P~ = P - q_a.q_b, r~ = r - q, s~ = sum r~,
/// P~_ab + s~_a s~_b / ((N-1)(N-2)) - (2/(N-2)) r~_a.r~_b. These are the same numbers the stacked N x N route computes.</para>
/// <para>Route (cost-based): <see cref="LinearKernelRoute.Features"/> when 2 Σd &lt;= N (its 2N(Σd)^2 flops are then at most the tiles'
/// N^2 Σd) and (Σd)^2 fits the memory ceiling; otherwise <see cref="LinearKernelRoute.GramTiles"/>. Tiles visit only j &gt;= i
/// (off-diagonal tiles count twice), so each Gram costs N^2 d (1 + b/N) flops instead of a full product's 2 N^2 d; the tile side b
/// is <see cref="DefaultTile"/>, halved until its buffers (<see cref="TileBytes"/>: L b^2 doubles and one centred row block
/// of every layer, b Σd) fit the ceiling. The tile GEMMs run in float32 for float32 layers (<see cref="TileType"/>).</para>
/// </remarks>
internal static class LinearKernelProducts
{
    /// <summary>Largest tile side of the Gram route: big enough that each tile's GEMM (2 b^2 d flops) dwarfs its float64 conversions (2 b d).</summary>
    internal const int MaximumTile = 2048;

    /// <summary>
    /// The tile side before the memory ceiling is applied: about N/4 (so the diagonal tiles, computed whole, waste at most
    /// b/N = 1/4 of a Gram's N^2 d flops), at least 256 (GEMMs stay efficient) and at most <see cref="MaximumTile"/>.
    /// </summary>
    internal static int DefaultTile(long n) => (int)Math.Clamp((n + 3) / 4, 256, MaximumTile);

    /// <summary>
    /// Type of the Gram-tile GEMMs when none is asked: float32 when every layer is held in float32 (activations are: the
    /// tiles then round at the inputs' own precision, at twice float64's GEMM rate on CPUs), float64 when any layer is
    /// float64 (the exact route). Rows are centred in float64 first and each tile is widened to float64 before the L x L
    /// products, so only the b x b products themselves round; measured CKA differences from the float64 route: docs/cka.md.
    /// </summary>
    internal static ScalarType TileType(int count, RowReader rows)
        => Enumerable.Range(0, count).Any(l => { using var first = rows(l, 0, 1); return first.dtype == float64; }) ? float64 : float32;

    /// <summary>Smallest tile side tried before the Gram route is refused for memory.</summary>
    private const int MinimumTile = 64;

    /// <summary>Rows [start, start + length) of one layer (any floating dtype, any device); the caller's tensors or views.</summary>
    internal delegate Tensor RowReader(int layer, long start, long length);

    /// <summary>Centred numerators (row-major L x L) and each layer's size reference ||X_l||_F^4 for the degeneracy checks.</summary>
    internal sealed record Result(double[] Centred, double[] RawScale, LinearKernelRoute Route, int Tile);

    /// <summary>The products for layers given as tensors (N x d_l each).</summary>
    public static Result Compute(IReadOnlyList<Tensor> layers, bool debiased, long maximumBytes, LinearKernelRoute? route = null, int? tile = null, ScalarType? tileType = null)
        => Compute(layers.Count, layers[0].shape[0], layers.Select(x => x.shape[1]).ToArray(), (l, s, len) => layers[l].narrow(0, s, len), layers[0].device, debiased, maximumBytes, route, tile, tileType);

    /// <summary>The products for L layers of <paramref name="n"/> rows and the given widths, read in row chunks.</summary>
    /// <param name="count">L.</param>
    /// <param name="n">Rows N.</param>
    /// <param name="widths">d_l per layer.</param>
    /// <param name="rows">Reads a row range of a layer.</param>
    /// <param name="device">Where the float64 work runs.</param>
    /// <param name="debiased">U-statistic numerators.</param>
    /// <param name="maximumBytes">Memory ceiling of the working buffers.</param>
    /// <param name="route">Force a route (tests, benchmarks); null chooses by cost.</param>
    /// <param name="tile">Force the tile side (tests); null chooses by memory.</param>
    /// <param name="tileType">Type of the Gram-tile GEMMs (tests, benchmarks); null follows the inputs (<see cref="TileType"/>).</param>
    public static Result Compute(int count, long n, long[] widths, RowReader rows, Device device, bool debiased, long maximumBytes, LinearKernelRoute? route = null, int? tile = null, ScalarType? tileType = null)
    {
        var gemmType = tileType ?? TileType(count, rows);
        long total = widths.Sum();
        var chosen = route ?? (2 * total <= n && FeatureBytes(widths, n) <= maximumBytes ? LinearKernelRoute.Features : LinearKernelRoute.GramTiles);
        int side = (int)Math.Min(n, tile ?? DefaultTile(n));
        if (chosen == LinearKernelRoute.Features)
            MemoryBudget.Check($"Linear CKA of {count} layers in feature space ({total} features side by side, (Σd)^2 x 8 bytes)", FeatureBytes(widths, n), maximumBytes,
                "Use the Gram-tile route (it needs L b^2 x 8 bytes for a tile side b) or raise the memory ceiling.");
        else
        {
            while (tile is null && side / 2 >= MinimumTile && TileBytes(widths, side, gemmType) > maximumBytes) side /= 2;
            MemoryBudget.Check($"Linear CKA of {count} layers of {n} rows by Gram tiles of {side} x {side} (L b^2 x 8 bytes plus one centred row block of every layer)", TileBytes(widths, side, gemmType), maximumBytes,
                $"Use minibatch CKA, fewer layers at a time, or raise the memory ceiling.");
        }
        using var scope = NewDisposeScope();
        var summaries = Enumerable.Range(0, count).Select(l => Summarise(l, n, rows, device, side)).ToArray();
        var raw = chosen == LinearKernelRoute.Features ? FeatureProducts(summaries, n, rows, side) : TileProducts(summaries, n, rows, side, gemmType);
        return new Result(Centre(raw, summaries, n, debiased), summaries.Select(s => s.RawScale).ToArray(), chosen, side);
    }

    /// <summary>Working bytes of the feature route: C ((Σd)^2), one chunk of Z (b Σd) and its float64 source rows.</summary>
    internal static long FeatureBytes(long[] widths, long n)
    {
        long total = widths.Sum(), chunk = Math.Min(n, MaximumTile);
        return (total * total + 2 * chunk * total) * sizeof(double);
    }

    /// <summary>
    /// Working bytes of the Gram route: the float64 L x b x b tile stack and its L x L product, row block i of every layer
    /// centred in the tile type (b Σd), the tile GEMM's own b x b output when that type is not float64, and one block j in
    /// conversion (its float64 copy, centred in place, and the tile-type copy: b max d each).
    /// </summary>
    internal static long TileBytes(long[] widths, long side, ScalarType tileType)
    {
        long element = tileType == float64 ? sizeof(double) : sizeof(float), count = widths.Length, widest = widths.Max();
        return (count * side * side + count * count + side * widest) * sizeof(double)
            + (side * widths.Sum() + (tileType == float64 ? 0 : side * side) + side * widest) * element;
    }

    /// <summary>One layer's float64 column means, squared row norms q and kernel row sums r of the centred rows, and ||X||^4.</summary>
    private sealed record Summary(int Layer, Tensor Mean, Tensor Diagonal, Tensor RowSums, double RawScale);

    /// <summary>Three chunked passes over the layer: column sums and ||X||^2; centred rows' norms and column sum u; r = Xc u.</summary>
    private static Summary Summarise(int layer, long n, RowReader rows, Device device, int chunk)
    {
        Tensor Rows(long start, long length) => rows(layer, start, length).to(device).to_type(float64);
        Tensor? sum = null;
        double squared = 0;
        for (long s = 0; s < n; s += chunk)
        {
            using var inner = NewDisposeScope();
            var x = Rows(s, Math.Min(chunk, n - s));
            squared += CkaMath.SquaredNorm(x);
            var part = x.sum([0L]);
            sum = sum is null ? part.MoveToOuterDisposeScope() : sum.add_(part);
        }
        var mean = sum! / n;
        var diagonal = empty(n, float64, device: device);
        var centredSum = zeros(mean.shape[0], float64, device: device);
        for (long s = 0; s < n; s += chunk)
        {
            using var inner = NewDisposeScope();
            long length = Math.Min(chunk, n - s);
            var xc = Rows(s, length) - mean;
            diagonal.narrow(0, s, length).copy_((xc * xc).sum(1));
            centredSum.add_(xc.sum([0L]));
        }
        var rowSums = empty(n, float64, device: device);
        for (long s = 0; s < n; s += chunk)
        {
            using var inner = NewDisposeScope();
            long length = Math.Min(chunk, n - s);
            rowSums.narrow(0, s, length).copy_((Rows(s, length) - mean).mv(centredSum));
        }
        return new Summary(layer, mean, diagonal, rowSums, squared * squared);
    }

    /// <summary>P_ab = ||Xc_a^T Xc_b||_F^2 from C = sum over row chunks of Z^T Z, Z the centred chunks of all layers side by side.</summary>
    private static double[] FeatureProducts(Summary[] summaries, long n, RowReader rows, int chunk)
    {
        int count = summaries.Length;
        var widths = summaries.Select(s => s.Mean.shape[0]).ToArray();
        long total = widths.Sum();
        var device = summaries[0].Mean.device;
        var c = zeros(total, total, float64, device: device);
        for (long s = 0; s < n; s += chunk)
        {
            using var inner = NewDisposeScope();
            long length = Math.Min(chunk, n - s);
            var z = cat(summaries.Select(m => rows(m.Layer, s, length).to(device).to_type(float64) - m.Mean).ToList(), 1);
            c.addmm_(z.t(), z);
        }
        var products = new double[count * count];
        long[] offsets = new long[count];
        for (int l = 1; l < count; l++) offsets[l] = offsets[l - 1] + widths[l - 1];
        for (int a = 0; a < count; a++)
            for (int b = a; b < count; b++)
            {
                using var inner = NewDisposeScope();
                double v = CkaMath.SquaredNorm(c.narrow(0, offsets[a], widths[a]).narrow(1, offsets[b], widths[b]));
                products[a * count + b] = products[b * count + a] = v;
            }
        return products;
    }

    /// <summary>
    /// P = sum over tiles (i, j >= i) of w S S^T, S the L x b^2 stack of the tiles Xc_l[B_i] Xc_l[B_j]^T and w = 1 on the
    /// diagonal, 2 off it (the kernels are symmetric). Rows are centred in float64 and the tile GEMMs run in
    /// <paramref name="tileType"/>; each tile is then widened to float64, so S S^T and its sum over tiles are float64.
    /// Row block i of every layer is centred once and kept while j runs (b Σd elements), so each tile converts only block j.
    /// </summary>
    private static double[] TileProducts(Summary[] summaries, long n, RowReader rows, int side, ScalarType tileType)
    {
        int count = summaries.Length;
        var device = summaries[0].Mean.device;
        var products = zeros(count, count, float64, device: device);
        var buffer = empty(count, side, side, float64, device: device);
        var single = tileType == float64 ? null : empty(side, side, tileType, device: device);
        Tensor Centred(int layer, long start, long length)
        {
            using var conversion = NewDisposeScope(); // the float64 copy goes at once, not with the block it is part of
            return rows(layer, start, length).to(device).to_type(float64, copy: true).sub_(summaries[layer].Mean).to_type(tileType).MoveToOuterDisposeScope();
        }
        for (long i = 0; i < n; i += side)
        {
            long rowsI = Math.Min(side, n - i);
            using var blockScope = NewDisposeScope();
            var blockI = Enumerable.Range(0, count).Select(l => Centred(l, i, rowsI)).ToArray();
            for (long j = i; j < n; j += side)
            {
                long rowsJ = Math.Min(side, n - j);
                using var inner = NewDisposeScope();
                var tiles = buffer.narrow(1, 0, rowsI).narrow(2, 0, rowsJ);
                for (int l = 0; l < count; l++)
                {
                    using var layer = NewDisposeScope();
                    var b = j == i ? blockI[l] : Centred(l, j, rowsJ);
                    if (single is null) tiles[l].addmm_(blockI[l], b.t(), beta: 0, alpha: 1);
                    else tiles[l].copy_(single.narrow(0, 0, rowsI).narrow(1, 0, rowsJ).addmm_(blockI[l], b.t(), beta: 0, alpha: 1));
                }
                var flat = tiles.reshape(count, rowsI * rowsJ);
                products.addmm_(flat, flat.t(), beta: 1, alpha: j == i ? 1 : 2);
            }
        }
        return products.cpu().data<double>().ToArray();
    }

    /// <summary>Centred numerators from the raw products and the summaries (the identities in the class remarks).</summary>
    private static double[] Centre(double[] raw, Summary[] summaries, long n, bool debiased)
    {
        int count = summaries.Length;
        var q = stack(summaries.Select(s => s.Diagonal).ToList());
        var r = stack(summaries.Select(s => s.RowSums).ToList());
        var p = tensor(raw, [count, count], float64).to(q.device);
        double nn = n;
        Tensor centred;
        if (debiased)
        {
            var rt = r - q;
            var st = rt.sum([1L]);
            centred = p - q.mm(q.t()) + st.unsqueeze(1).mm(st.unsqueeze(0)) / ((nn - 1) * (nn - 2)) - rt.mm(rt.t()) * (2 / (nn - 2));
        }
        else
        {
            var s = r.sum([1L]);
            centred = p - r.mm(r.t()) * (2 / nn) + s.unsqueeze(1).mm(s.unsqueeze(0)) / (nn * nn);
        }
        return centred.cpu().data<double>().ToArray();
    }
}
