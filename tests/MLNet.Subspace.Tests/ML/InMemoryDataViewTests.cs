using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Subspace.ML;

namespace MLNet.Subspace.Tests.ML;

public class InMemoryDataViewTests
{
    [Fact]
    public void FashionMnist_View_Records_Shape_And_Class_Names()
    {
        var ml = new MLContext(1);

        IDataView view = ml.Data.LoadFashionMnist(TestPaths.FashionMnist);

        var features = (VectorDataViewType)view.Schema["Features"].Type;
        Assert.Equal([1, 28, 28], features.Dimensions.ToArray());
        var label = view.Schema["Label"];
        Assert.Equal(10UL, ((KeyDataViewType)label.Type).Count);
        VBuffer<ReadOnlyMemory<char>> names = default;
        label.GetKeyValues(ref names);
        Assert.Equal("Ankle boot", names.GetValues()[9].ToString());
        Assert.Equal(10_000, view.GetRowCount());
    }

    [Fact]
    public void LoadFashionMnist_On_Another_Data_Set_Names_Its_Classes_0_To_9()
    {
        var ml = new MLContext(1);
        using var temp = new TempFolder();
        MLNet.Subspace.Tests.Data.IdxReaderTests.WriteOtherDataSet(temp);

        IDataView view = ml.Data.LoadFashionMnist(temp.Path);

        VBuffer<ReadOnlyMemory<char>> names = default;
        view.Schema["Label"].GetKeyValues(ref names);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString()), names.DenseValues().Select(n => n.ToString()));
    }

    [Fact]
    public void Rows_Read_Through_A_Cursor_Equal_The_Source_Arrays()
    {
        float[] values = [1, 2, 3, 4, 5, 6];
        var view = InMemoryDataView.Create(3).AddVector("X", values, [2]).AddKey("Y", [2, 0, 1], ["a", "b", "c"]).AddScalar("Id", new[] { 10, 20, 30 }).Build();

        var rows = new List<(float[], uint, int)>();
        using (var cursor = view.GetRowCursor(view.Schema))
        {
            var x = cursor.GetGetter<VBuffer<float>>(view.Schema["X"]);
            var y = cursor.GetGetter<uint>(view.Schema["Y"]);
            var id = cursor.GetGetter<int>(view.Schema["Id"]);
            VBuffer<float> xv = default; uint yv = 0; int iv = 0;
            while (cursor.MoveNext())
            {
                x(ref xv); y(ref yv); id(ref iv);
                rows.Add((xv.DenseValues().ToArray(), yv, iv));
            }
        }

        Assert.Equal(3, rows.Count);
        Assert.Equal([3f, 4f], rows[1].Item1);
        Assert.Equal([3u, 1u, 2u], rows.Select(r => r.Item2));  // keys are 1-based
        Assert.Equal([10, 20, 30], rows.Select(r => r.Item3));
    }

    [Fact]
    public void Composes_With_An_MLNet_Pipeline()
    {
        var ml = new MLContext(1);
        var view = InMemoryDataView.Create(4).AddVector("Features", [0, 2, 4, 6, 8, 10, 1, 1], [2]).AddKey("Label", [0, 1, 1, 0], ["neg", "pos"]).Build();

        var transformed = ml.Transforms.NormalizeMinMax("Features").Append(ml.Transforms.Conversion.MapKeyToValue("LabelText", "Label")).Fit(view).Transform(view);

        var labels = transformed.GetColumn<ReadOnlyMemory<char>>("LabelText").Select(m => m.ToString()).ToArray();
        var features = transformed.GetColumn<float[]>("Features").ToArray();
        Assert.Equal(["neg", "pos", "pos", "neg"], labels);
        Assert.Equal(1f, features[2][0]);
        Assert.Equal(0.1f, features[3][1], 5);
    }

    [Fact]
    public void Wrong_Lengths_Name_The_Column()
    {
        var e = Assert.Throws<ArgumentException>(() => InMemoryDataView.Create(3).AddVector("Act", new float[5], [2]));

        Assert.Contains("'Act'", e.Message);
        Assert.Contains("3 rows x 2 = 6 values", e.Message);
    }

    [Fact]
    public void Csv_Matrix_Loads_As_A_View_With_Int_Labels()
    {
        var ml = new MLContext(1);

        var view = ml.Data.LoadFromCsvMatrix(TestPaths.Fixture("peer-uos", "X.csv"), TestPaths.Fixture("peer-uos", "y.csv"));

        Assert.Equal(9, ((VectorDataViewType)view.Schema["Features"].Type).Size);
        Assert.Equal([0, 0, 0, 0, 1], view.GetColumn<int>("Label").Take(5));
    }
}
