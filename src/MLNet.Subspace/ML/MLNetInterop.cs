using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNet.Subspace.Torch;

namespace MLNet.Subspace.ML;

/// <summary>
/// The few ML.NET members a third-party extension needs but ML.NET 5.0.1 keeps internal
/// (see docs/design.md, "ML.NET extension points"). Everything that touches them lives here.
/// </summary>
internal static class MLNetInterop
{
    /// <summary>The environment (logging, seed, GPU settings) of the MLContext a catalog belongs to.</summary>
    public static IHostEnvironment Environment(TransformsCatalog catalog) => TransformsEnvironment(catalog);

    /// <summary>A <see cref="SchemaShape.Column"/>, whose constructor is internal.</summary>
    public static SchemaShape.Column Column(string name, SchemaShape.Column.VectorKind kind, DataViewType itemType, bool isKey, SchemaShape? annotations = null)
        => NewColumn(name, kind, itemType, isKey, annotations);

    /// <summary>The seed, GPU id and CPU fallback an environment was created with (an MLContext or its inner environment).</summary>
    public static (int? Seed, int? GpuDeviceId, bool FallbackToCpu) Settings(IHostEnvironment? environment)
    {
        if (environment is null) return (null, null, true);
        // The settings live on MLContext's inner LocalEnvironment, as public properties of an internal base class.
        if (environment is MLContext context)
            environment = (IHostEnvironment?)typeof(MLContext).GetField("_env", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(context) ?? environment;
        var type = environment.GetType();
        T? Read<T>(string name) => type.GetProperty(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(environment) is T v ? v : default;
        return (Read<int?>("Seed"), Read<int?>("GpuDeviceId"), Read<bool?>("FallbackToCpu") ?? true);
    }

    /// <summary>Where an estimator's torch work runs: its override, with every unset value taken from the environment's GPU settings.</summary>
    /// <param name="environment">The MLContext (or its environment), or null.</param>
    /// <param name="options">The estimator's override, or null.</param>
    public static DeviceOptions Device(IHostEnvironment? environment, DeviceOptions? options = null)
    {
        var settings = Settings(environment);
        return new DeviceOptions
        {
            GpuDeviceId = options?.GpuDeviceId ?? settings.GpuDeviceId,
            FallbackToCpu = options?.FallbackToCpu ?? settings.FallbackToCpu,
            ForceCpu = options?.ForceCpu ?? false,
        };
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_env")]
    private static extern ref IHostEnvironment TransformsEnvironment(TransformsCatalog catalog);

    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    private static extern SchemaShape.Column NewColumn(string name, SchemaShape.Column.VectorKind vecKind, DataViewType itemType, bool isKey, SchemaShape? annotations);
}
