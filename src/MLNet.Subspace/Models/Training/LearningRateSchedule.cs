namespace MLNet.Subspace.Models.Training;

/// <summary>The learning-rate schedule of a <see cref="Trainer"/>.</summary>
public enum LearningRateSchedule
{
    /// <summary>lr_e = lr (1 + cos(pi e / E)) / 2 for epoch e = 0..E-1.</summary>
    Cosine,

    /// <summary>lr_e = lr * gamma^floor(e / StepEpochs).</summary>
    Step,

    /// <summary>lr_e = lr.</summary>
    Constant,
}
