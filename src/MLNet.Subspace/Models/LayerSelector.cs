using System.Text.RegularExpressions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNet.Subspace.Models;

/// <summary>Resolves which modules of a network to read activations from.</summary>
public static class LayerSelector
{
    /// <summary>
    /// Picks layers, always returned in registration order (the order of <c>named_modules()</c>,
    /// which is the paper's layer order). With <paramref name="names"/>: exactly those modules.
    /// Else with <paramref name="pattern"/>: every module whose path fully matches the regular
    /// expression (and is of one of <paramref name="types"/> when given). Else every module of one of
    /// <paramref name="types"/> (default: <see cref="Conv2d"/>, which includes 1x1 shortcut convs).
    /// </summary>
    /// <param name="model">The network.</param>
    /// <param name="names">Exact module paths, or null.</param>
    /// <param name="pattern">A .NET regular expression matched against whole paths, or null.</param>
    /// <param name="types">Module types to keep, or null.</param>
    /// <returns>The selected layers, at least one.</returns>
    /// <exception cref="ArgumentException">A name is unknown or nothing matches; the message lists the available layers.</exception>
    public static IReadOnlyList<SelectedLayer> Select(nn.Module model, IReadOnlyList<string>? names = null, string? pattern = null, IReadOnlyList<Type>? types = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var all = model.named_modules().Select((m, i) => new SelectedLayer(m.name, m.module, i)).Where(m => m.Name.Length > 0).ToList();
        // Type names without .NET's generic arity (ModuleList, not ModuleList`1).
        string Available() => string.Join(", ", all.Select(m => $"{m.Name} ({m.TypeName.Split('`')[0]})"));
        if (names is { Count: > 0 })
        {
            var byName = all.ToDictionary(m => m.Name);
            var unknown = names.Where(n => !byName.ContainsKey(n)).ToList();
            if (unknown.Count > 0)
                throw new ArgumentException($"Unknown layer name(s): {string.Join(", ", unknown.Select(n => $"'{n}'"))}. Available layers: {Available()}.", nameof(names));
            var dup = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
            if (dup is not null) throw new ArgumentException($"Layer '{dup.Key}' was selected twice.", nameof(names));
            return names.Select(n => byName[n]).OrderBy(m => m.RegistrationIndex).ToList();
        }
        IEnumerable<SelectedLayer> chosen = all;
        if (pattern is not null)
        {
            var regex = new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant);
            chosen = chosen.Where(m => regex.IsMatch(m.Name));
        }
        var kinds = types is { Count: > 0 } ? types : pattern is null ? [typeof(Conv2d)] : null;
        if (kinds is not null) chosen = chosen.Where(m => kinds.Any(t => t.IsInstanceOfType(m.Module)));
        var list = chosen.ToList();
        if (list.Count == 0)
            throw new ArgumentException(
                $"No layer matches the selection (pattern {(pattern is null ? "none" : $"'{pattern}'")}, types {(kinds is null ? "any" : string.Join("/", kinds.Select(t => t.Name)))}). Available layers: {Available()}.",
                pattern is null ? nameof(types) : nameof(pattern));
        return list;
    }
}
