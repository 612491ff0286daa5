namespace MLNet.Subspace.Numerics.Ssc;

/// <summary>The SSC solvers; <see cref="SscOptions.SolverName"/> spells them for command lines and files.</summary>
public enum SscSolver
{
    /// <summary>Exact ADMM-Lasso (<see cref="AdmmLassoSolver"/>).</summary>
    Admm,
    /// <summary>The paper's ADMM, quirks included (<see cref="FaithfulAdmmSolver"/>).</summary>
    Faithful,
    /// <summary>Orthogonal matching pursuit (<see cref="OmpSolver"/>).</summary>
    Omp,
    /// <summary>Elastic-net subspace clustering (EnSC) with an oracle-guided active set (<see cref="ElasticNetSolver"/>).</summary>
    Ensc,
}
