namespace MLNet.Subspace.Analysis;

/// <summary>An input the trials do not all classify alike.</summary>
/// <param name="Input">Row of the input in the evaluation data, 0 = first.</param>
/// <param name="Label">Its true class.</param>
/// <param name="Predictions">Each trial's predicted class, in trial order.</param>
/// <param name="Correct">How many trials are right.</param>
/// <param name="Distinct">How many different classes the trials predict (2 or more).</param>
public sealed record TrialDisagreement(int Input, int Label, IReadOnlyList<int> Predictions, int Correct, int Distinct);
