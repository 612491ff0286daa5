using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Ssc;

/// <summary>
/// Out-of-sample SSC-OMP codes over one set of fitted samples: the unit-length dictionary is built once and kept (outside
/// any dispose scope) until this coder is disposed, so each query costs only its O(k N D) greedy steps.
/// </summary>
internal sealed class OutOfSampleCoder : IDisposable
{
    private readonly OmpSolver _omp;
    private readonly Tensor _atoms, _atomsT;

    /// <summary>Builds the dictionary.</summary>
    /// <param name="omp">The OMP settings (k, dtype, device).</param>
    /// <param name="fitted">N x D fitted samples, one per row.</param>
    public OutOfSampleCoder(OmpSolver omp, Tensor fitted)
    {
        _omp = omp;
        using var scope = NewDisposeScope();
        var (atoms, atomsT) = omp.Dictionary(fitted);
        _atoms = atoms.DetachFromDisposeScope();
        _atomsT = atomsT.DetachFromDisposeScope();
    }

    /// <summary>Per query (M x D, one per row), the fitted samples used and their coefficients.</summary>
    /// <param name="queries">New samples.</param>
    public IReadOnlyList<(int[] Support, double[] Coefficients)> Code(Tensor queries) => _omp.Code((_atoms, _atomsT), queries);

    /// <inheritdoc />
    public void Dispose()
    {
        _atoms.Dispose();
        _atomsT.Dispose();
    }
}
