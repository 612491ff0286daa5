using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNet.Subspace.ML;
using TorchSharp;

namespace MLNet.Subspace.Torch;

/// <summary>
/// A per-estimator override of where torch work runs. Any property left null falls back to the
/// <see cref="MLContext"/> (its <see cref="MLContext.GpuDeviceId"/> and <see cref="MLContext.FallbackToCpu"/>).
/// </summary>
public sealed class DeviceOptions
{
    /// <summary>CUDA device index to use; null means "as the MLContext says" (CPU when it says nothing).</summary>
    public int? GpuDeviceId { get; set; }

    /// <summary>Whether to run on the CPU when the requested GPU is not available; null means "as the MLContext says".</summary>
    public bool? FallbackToCpu { get; set; }

    /// <summary>Forces the CPU even when the MLContext asks for a GPU.</summary>
    public bool ForceCpu { get; set; }
}

/// <summary>
/// The one place that decides which torch device MLNet.Subspace computes on.
/// </summary>
/// <remarks>
/// Precedence: <see cref="DeviceOptions"/> override, then the <see cref="MLContext"/>, then the CPU.
/// A GPU is used only when one was asked for and CUDA is available (a CUDA backend package such as
/// TorchSharp-cuda-linux is referenced and a device is present).
/// </remarks>
public static class TorchDevice
{
    /// <summary>Chooses the device for a piece of work.</summary>
    /// <param name="context">The ML.NET context (or the environment of one) whose GPU settings apply; may be null.</param>
    /// <param name="options">A per-estimator override; may be null.</param>
    /// <returns>The CPU or the requested CUDA device.</returns>
    /// <exception cref="InvalidOperationException">A GPU was requested, none is usable and falling back to the CPU is not allowed.</exception>
    public static torch.Device Resolve(IHostEnvironment? context = null, DeviceOptions? options = null)
    {
        if (options?.ForceCpu == true) return torch.CPU;
        var settings = MLNetInterop.Settings(context);
        int? gpu = options?.GpuDeviceId ?? settings.GpuDeviceId;
        bool fallback = options?.FallbackToCpu ?? settings.FallbackToCpu;
        if (gpu is null) return torch.CPU;
        if (gpu < 0)
            throw new ArgumentOutOfRangeException(nameof(options), gpu, $"The GPU device id must be 0 or more. Got {gpu} instead.");

        string? reason = CudaUnavailableReason(gpu.Value);
        if (reason is null) return torch.device(DeviceType.CUDA, gpu.Value);
        if (fallback) return torch.CPU;
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
