using TorchSharp;

namespace MLNet.Subspace.Torch;

/// <summary>
/// The one place that decides which torch device MLNet.Subspace computes on.
/// </summary>
/// <remarks>
/// A GPU is used only when one was asked for and CUDA is available (a CUDA backend package such as
/// TorchSharp-cuda-linux is referenced and a device is present). ML.NET faces merge the MLContext's
/// settings into the <see cref="DeviceOptions"/> before they get here.
/// </remarks>
public static class TorchDevice
{
    /// <summary>Chooses the device for a piece of work.</summary>
    /// <param name="options">Where to run; null means the CPU.</param>
    /// <returns>The CPU or the requested CUDA device.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The GPU id is negative.</exception>
    /// <exception cref="InvalidOperationException">A GPU was requested, none is usable and falling back to the CPU is not allowed.</exception>
    public static torch.Device Resolve(DeviceOptions? options = null)
    {
        if (options is null || options.ForceCpu || options.GpuDeviceId is not int gpu) return torch.CPU;
        if (gpu < 0)
            throw new ArgumentOutOfRangeException(nameof(options), gpu, $"The GPU device id must be 0 or more. Got {gpu} instead.");

        string? reason = CudaUnavailableReason(gpu);
        if (reason is null) return torch.device(DeviceType.CUDA, gpu);
        if (options.FallbackToCpu ?? true) return torch.CPU;
        throw new InvalidOperationException(
            $"GPU device {gpu} was requested (GpuDeviceId = {gpu}) but {reason}. " +
            "Reference the TorchSharp-cuda-linux package on a machine with an NVIDIA GPU, " +
            "or set FallbackToCpu = true to run on the CPU.");
    }

    private static string? CudaUnavailableReason(int gpu)
    {
        if (!torch.cuda.is_available()) return "CUDA is not available to TorchSharp (no CUDA backend or no GPU)";
        int count = torch.cuda.device_count();
        return gpu < count ? null : $"only {count} CUDA device(s) exist (ids 0..{count - 1})";
    }
}
