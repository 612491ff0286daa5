using Microsoft.ML;
using MLNet.Subspace.Torch;
using TorchSharp;

namespace MLNet.Subspace.ML;

/// <summary>The torch device an MLContext's GPU settings select.</summary>
public static class MLContextDevice
{
    /// <summary>
    /// The device torch work of this context runs on: <paramref name="options"/>' values where set, else the context's
    /// <see cref="MLContext.GpuDeviceId"/> and <see cref="MLContext.FallbackToCpu"/>, else the CPU.
    /// </summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="options">A per-use override, or null.</param>
    /// <exception cref="InvalidOperationException">A GPU was requested, none is usable and falling back to the CPU is not allowed.</exception>
    public static torch.Device GetTorchDevice(this MLContext context, DeviceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        return TorchDevice.Resolve(MLNetInterop.Device(context, options));
    }
}
