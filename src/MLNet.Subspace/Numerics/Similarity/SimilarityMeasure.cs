namespace MLNet.Subspace.Numerics.Similarity;

/// <summary>The layer-similarity measures <see cref="SimilarityOptions"/> computes; <see cref="SimilarityOptions.MeasureName"/> spells them for command lines and files.</summary>
public enum SimilarityMeasure
{
    /// <summary>Linear CKA (<see cref="Cka.CkaMath.Compute"/>); 1 = identical up to rotation and scale.</summary>
    LinearCka,
    /// <summary>Mean squared canonical correlation (<see cref="Cca.MeanSquaredCorrelation"/>).</summary>
    CcaR2,
    /// <summary>Mean canonical correlation (<see cref="Cca.MeanCorrelation"/>).</summary>
    CcaMean,
    /// <summary>SVCCA: CCA after keeping the leading directions of each representation (<see cref="Svcca.MeanCorrelation"/>).</summary>
    Svcca,
    /// <summary>Projection-weighted CCA (<see cref="Pwcca.Compute"/>); not symmetric.</summary>
    Pwcca,
    /// <summary>Orthogonal Procrustes distance (<see cref="Procrustes.Distance"/>); 0 = identical up to rotation, a distance.</summary>
    Procrustes,
    /// <summary>netrep's angular shape metric with alpha (<see cref="ShapeMetric.AngularDistance"/>); 0 = identical, a distance.</summary>
    ShapeMetric,
    /// <summary>Representational similarity analysis: two RDMs compared (<see cref="Rsa.Compute"/>).</summary>
    Rsa,
    /// <summary>Mutual k-nearest-neighbour alignment (<see cref="NearestNeighbourAlignment.MutualKnn"/>).</summary>
    MutualKnn,
    /// <summary>Cycle k-NN (<see cref="NearestNeighbourAlignment.CycleKnn"/>); not symmetric.</summary>
    CycleKnn,
    /// <summary>CKNNA (<see cref="NearestNeighbourAlignment.Cknna"/>); not symmetric (the reference's HSIC of masked Gram matrices).</summary>
    Cknna,
    /// <summary>netrep's permutation-invariant shape metric (<see cref="Similarity.PermutationMetric.AngularDistance"/>); 0 = identical up to a permutation of neurons, a distance.</summary>
    PermutationMetric,
}
