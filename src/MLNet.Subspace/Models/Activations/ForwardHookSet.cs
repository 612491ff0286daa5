using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Models.Activations;

/// <summary>
/// Forward hooks on several modules, removed together on <see cref="Dispose"/> (TorchSharp's
/// <c>HookRemover</c> is not <see cref="IDisposable"/>).
/// </summary>
/// <remarks>Hooks fire only when a module is invoked through <c>call</c>; a module run via
/// <c>forward</c> is invisible to them.</remarks>
public sealed class ForwardHookSet : IDisposable
{
    private readonly List<Action> _removers = [];

    /// <summary>Adds a hook to <paramref name="module"/>; the hook sees the module's output and must not modify it.</summary>
    /// <param name="module">The module to observe.</param>
    /// <param name="onOutput">Called with the output of every forward call of the module.</param>
    public void Add(nn.Module<Tensor, Tensor> module, Action<Tensor> onOutput)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(onOutput);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var remover = module.register_forward_hook((_, _, output) =>
        {
            onOutput(output);
            return output;
        });
        _removers.Add(() => remover.remove());
    }

    /// <summary>Number of hooks currently installed.</summary>
    public int Count => _removers.Count;

    private bool _disposed;

    /// <summary>Removes every hook.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var remove in _removers) remove();
        _removers.Clear();
    }
}
