using System.Collections;
using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Models;

/// <summary>
/// Reads a whole state dict (names, shapes, values) from PyTorch and safetensors files with
/// TorchSharp.PyBridge 1.4.4. Its public <c>load_py</c>/<c>load_safetensors</c> only fill an existing
/// module (and skip keys the module lacks), so they cannot report which parameter does not fit;
/// the readers behind them are internal, and are reached here by name.
/// </summary>
internal static class PyBridgeReader
{
    private static readonly Assembly PyBridge = typeof(TorchSharp.PyBridge.PyBridgeModuleExtensions).Assembly;

    public static Dictionary<string, Tensor> ReadPyTorch(string path)
    {
        using var stream = File.OpenRead(path);
        var table = (Hashtable)Invoke("TorchSharp.PyBridge.PyTorchUnpickler", "UnpickleStateDict", [typeof(Stream), typeof(bool), typeof(bool)], [stream, true, false]);
        var result = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry entry in table)
            result[(string)entry.Key] = entry.Value as Tensor ?? throw new InvalidDataException($"entry '{entry.Key}' is a {entry.Value?.GetType().Name ?? "null"}, not a tensor");
        return result;
    }

    public static Dictionary<string, Tensor> ReadSafetensors(string path)
    {
        using var stream = File.OpenRead(path);
        return (Dictionary<string, Tensor>)Invoke("TorchSharp.PyBridge.Safetensors", "LoadStateDict", [typeof(Stream), typeof(bool), typeof(List<string>)], [stream, true, null]);
    }

    private static object Invoke(string typeName, string method, Type[] parameters, object?[] arguments)
    {
        var info = PyBridge.GetType(typeName)?.GetMethod(method, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, parameters)
            ?? throw new MissingMethodException($"TorchSharp.PyBridge {PyBridge.GetName().Version} has no {typeName}.{method}({string.Join(", ", parameters.Select(p => p.Name))}); MLNet.Subspace needs TorchSharp.PyBridge 1.4.4.");
        try
        {
            return info.Invoke(null, arguments) ?? throw new InvalidDataException("the file holds no state dict");
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
