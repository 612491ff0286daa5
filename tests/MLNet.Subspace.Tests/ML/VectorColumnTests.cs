using Microsoft.ML;
using MLNet.Subspace.ML;
using MLNet.Subspace.Torch;

namespace MLNet.Subspace.Tests.ML;

public class VectorColumnTests
{
    [Fact]
    public void Reads_Rows_In_Order()
    {
        var view = InMemoryDataView.Create(2).AddVector("X", [1, 2, 3, 4, 5, 6], [3]).Build();

        var (values, rows, size) = VectorColumn.Read(view, "X");

        Assert.Equal((2, 3), (rows, size));
        Assert.Equal([1f, 2, 3, 4, 5, 6], values);
    }

    [Fact]
    public void NaN_Names_Column_Row_And_Slot()
    {
        var view = InMemoryDataView.Create(2).AddVector("Act", [1, 2, 3, float.NaN], [2]).Build();

        var e = Assert.Throws<InvalidOperationException>(() => VectorColumn.Read(view, "Act"));

        Assert.Equal("Column 'Act', row 2, slot 2 (counted from 1): expected a finite number, found NaN.", e.Message);
    }

    [Fact]
    public void Wrong_Type_And_Missing_Column_Are_Explained()
    {
        var view = InMemoryDataView.Create(2).AddScalar("S", new[] { 1f, 2f }).Build();

        var wrong = Assert.Throws<ArgumentOutOfRangeException>(() => VectorColumn.Read(view, "S"));
        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => VectorColumn.Read(view, "Nope"));

        Assert.Contains("Schema mismatch for input column 'S': expected known-size vector of Single, got Single", wrong.Message);
        Assert.Contains("Input column 'Nope' not found. The data has: S.", missing.Message);
    }

    [Fact]
    public void Labels_From_Keys_Are_Zero_Based()
    {
        var view = InMemoryDataView.Create(3).AddKey("Label", [2, 0, 1], ["a", "b", "c"]).AddScalar("I", new[] { 4, 5, 6 }).Build();

        Assert.Equal([2, 0, 1], VectorColumn.ReadLabels(view, "Label"));
        Assert.Equal([4, 5, 6], VectorColumn.ReadLabels(view, "I"));
    }

    [Fact]
    public void Catalog_Environment_Carries_The_Contexts_Gpu_Settings()
    {
        var ml = new MLContext(11) { GpuDeviceId = 0, FallbackToCpu = false };

        var settings = MLNetInterop.Settings(MLNetInterop.Environment(ml.Transforms));

        Assert.Equal((11, 0, false), (settings.Seed, settings.GpuDeviceId, settings.FallbackToCpu));
        Assert.Equal((11, 0, false), MLNetInterop.Settings(ml));
    }
}
