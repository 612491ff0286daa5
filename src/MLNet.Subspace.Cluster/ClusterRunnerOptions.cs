namespace MLNet.Subspace.Cluster;

/// <summary>How <see cref="ClusterUnitRunner"/> schedules units over the silos.</summary>
public sealed record ClusterRunnerOptions
{
    /// <summary>Default values, defined once.</summary>
    public static class Defaults
    {
        /// <summary>Units in flight per silo: one, since a solve already uses every core of its machine through torch's threads.</summary>
        public const int UnitsPerSilo = 1;
        /// <summary>Executions of one unit before the run fails (each failure is a silo that died or a call that was lost).</summary>
        public const int MaxAttempts = 5;
        /// <summary>How often the membership (the live silos) is read: a unit in flight on a silo that left it is rescheduled.</summary>
        public static readonly TimeSpan MembershipPoll = TimeSpan.FromSeconds(1);
    }

    /// <summary>Units in flight per silo, 1 or more. Default <see cref="Defaults.UnitsPerSilo"/>.</summary>
    public int UnitsPerSilo { get; init; } = Defaults.UnitsPerSilo;

    /// <summary>Attempts per unit, 1 or more. Default <see cref="Defaults.MaxAttempts"/>.</summary>
    public int MaxAttempts { get; init; } = Defaults.MaxAttempts;

    /// <summary>Membership polling period, positive. Default <see cref="Defaults.MembershipPoll"/>.</summary>
    public TimeSpan MembershipPoll { get; init; } = Defaults.MembershipPoll;

    /// <summary>Checks every option, naming the first bad one.</summary>
    public void Validate()
    {
        if (UnitsPerSilo < 1) throw new ArgumentOutOfRangeException(nameof(UnitsPerSilo), $"The '{nameof(UnitsPerSilo)}' cluster option must be 1 or more. Got {UnitsPerSilo} instead.");
        if (MaxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(MaxAttempts), $"The '{nameof(MaxAttempts)}' cluster option must be 1 or more. Got {MaxAttempts} instead.");
        if (MembershipPoll <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MembershipPoll), $"The '{nameof(MembershipPoll)}' cluster option must be positive. Got {MembershipPoll} instead.");
    }
}
