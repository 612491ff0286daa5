namespace MLNet.Subspace.Numerics.Cka;

/// <summary>CKA is undefined for the inputs (0/0 or the square root of a negative HSIC); the message says why.</summary>
public sealed class DegenerateCkaException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The reason, naming the input.</param>
    public DegenerateCkaException(string message) : base(message) { }
}
