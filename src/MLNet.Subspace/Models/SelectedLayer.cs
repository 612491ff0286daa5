using static TorchSharp.torch;

namespace MLNet.Subspace.Models;

/// <summary>A layer picked for extraction: its <c>named_modules()</c> path, the module and its position.</summary>
/// <param name="Name">The module path, e.g. "layer2.0.shortcut.0".</param>
/// <param name="Module">The module.</param>
/// <param name="RegistrationIndex">Its index in <c>named_modules()</c> order.</param>
public sealed record SelectedLayer(string Name, nn.Module Module, int RegistrationIndex)
{
    /// <summary>The module's type name, e.g. "Conv2d".</summary>
    public string TypeName => Module.GetType().Name;
}
