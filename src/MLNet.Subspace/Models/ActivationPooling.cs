namespace MLNet.Subspace.Models;

/// <summary>How a layer's output is turned into one vector per input.</summary>
public enum ActivationPooling
{
    /// <summary>Flatten C x H x W into one vector of length C*H*W (the paper's choice).</summary>
    Flatten,

    /// <summary>Average over H and W: one value per channel (length C).</summary>
    GlobalAverage,
}
