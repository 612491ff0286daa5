namespace MLNet.Subspace.Pipeline.Units;

/// <summary>What every <see cref="IUnitRunner"/> checks of the units it is given before it executes any.</summary>
public static class UnitOrder
{
    /// <summary>Checks that the ids are distinct and that every unit not yet done comes after the units it needs.</summary>
    /// <param name="units">The units, in the order given to a runner.</param>
    /// <param name="sharedFolder">The shared folder (a unit already done needs nothing).</param>
    /// <returns>Per unit, the positions of its prerequisites in <paramref name="units"/> (empty for a unit already done).</returns>
    /// <exception cref="ArgumentException">A duplicate id, or a prerequisite missing or given later (both named).</exception>
    public static IReadOnlyList<int[]> Check(IReadOnlyList<WorkUnit> units, string sharedFolder)
    {
        ArgumentNullException.ThrowIfNull(units);
        var position = new Dictionary<string, int>(units.Count);
        var needs = new int[units.Count][];
        for (int i = 0; i < units.Count; i++)
        {
            var unit = units[i] ?? throw new ArgumentException($"Unit {i} is null.", nameof(units));
            if (!position.TryAdd(unit.Id, i))
                throw new ArgumentException($"Unit {unit.Id} ({unit.Description}) is given twice (at {position[unit.Id]} and {i}).", nameof(units));
            needs[i] = unit.IsDone(sharedFolder) ? [] : unit.Prerequisites.Select(id => position.TryGetValue(id, out int at) ? at
                : throw new ArgumentException($"Unit {unit.Id} ({unit.Description}) needs unit {id}, which is not given before it.", nameof(units))).ToArray();
        }
        return needs;
    }
}
