namespace MLNet.Subspace.Analysis;

/// <summary>One row of the paper's table: how often each predictor is right, and how often they agree.</summary>
/// <param name="Inputs">Number of inputs compared.</param>
/// <param name="SscAccuracy">Share of inputs whose SSC prediction equals the true label (an input with no neighbours counts as wrong).</param>
/// <param name="NetworkAccuracy">Share of inputs the network classifies correctly.</param>
/// <param name="Agreement">Share of inputs where the SSC prediction equals the network's prediction.</param>
public sealed record PredictionAgreement(int Inputs, double SscAccuracy, double NetworkAccuracy, double Agreement)
{
    /// <summary>Compares SSC predictions, network predictions and the truth.</summary>
    /// <param name="truth">True labels.</param>
    /// <param name="ssc">SSC predictions (-1 = none).</param>
    /// <param name="network">Network predictions.</param>
    public static PredictionAgreement Of(IReadOnlyList<int> truth, IReadOnlyList<int> ssc, IReadOnlyList<int> network)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(ssc);
        ArgumentNullException.ThrowIfNull(network);
        if (truth.Count != ssc.Count || truth.Count != network.Count)
            throw new ArgumentException($"Expected as many SSC ({ssc.Count}) and network ({network.Count}) predictions as labels ({truth.Count}).");
        if (truth.Count == 0) throw new ArgumentException("There are no inputs to compare.", nameof(truth));
        int sscRight = 0, netRight = 0, agree = 0;
        for (int i = 0; i < truth.Count; i++)
        {
            if (ssc[i] == truth[i]) sscRight++;
            if (network[i] == truth[i]) netRight++;
            if (ssc[i] == network[i]) agree++;
        }
        double n = truth.Count;
        return new PredictionAgreement(truth.Count, sscRight / n, netRight / n, agree / n);
    }
}
