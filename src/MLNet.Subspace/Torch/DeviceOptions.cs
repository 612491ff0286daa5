namespace MLNet.Subspace.Torch;

/// <summary>
/// Where torch work should run, as plain values. In ML.NET estimators a property left null falls back to the
/// MLContext's <c>GpuDeviceId</c> and <c>FallbackToCpu</c>; elsewhere null means the CPU and falling back to it.
/// </summary>
public sealed class DeviceOptions
{
    /// <summary>CUDA device index to use; null means the CPU (in an estimator: as the MLContext says).</summary>
    public int? GpuDeviceId { get; set; }

    /// <summary>Whether to run on the CPU when the requested GPU is not available; null means yes (in an estimator: as the MLContext says).</summary>
    public bool? FallbackToCpu { get; set; }

    /// <summary>Forces the CPU even when the MLContext asks for a GPU.</summary>
    public bool ForceCpu { get; set; }
}
