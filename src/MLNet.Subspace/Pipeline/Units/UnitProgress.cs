namespace MLNet.Subspace.Pipeline.Units;

/// <summary>An IProgress of unit receipts that reports on the reporting thread (runners report from several threads).</summary>
internal sealed class UnitProgress(Action<UnitReceipt> report) : IProgress<UnitReceipt>
{
    public void Report(UnitReceipt value) => report(value);
}
