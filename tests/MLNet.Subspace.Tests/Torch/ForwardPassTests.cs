using MLNet.Subspace.Data;
using MLNet.Subspace.Models;
using MLNet.Subspace.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.Torch;

[Collection(TorchGlobalRng.Name)]
public class ForwardPassTests
{
    [Fact]
    public void Matmul_Agrees_With_A_Managed_Triple_Loop()
    {
        var rng = new Random(7);
        int n = 37, k = 23, m = 11;
        var a = Enumerable.Range(0, n * k).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var b = Enumerable.Range(0, k * m).Select(_ => rng.NextDouble() - 0.5).ToArray();

        using var product = torch.tensor(a, [n, k]).matmul(torch.tensor(b, [k, m]));
        var got = product.data<double>().ToArray();

        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double expected = 0;
                for (int t = 0; t < k; t++) expected += a[i * k + t] * b[t * m + j];
                Assert.Equal(expected, got[i * m + j], 12);
            }
    }

    [Fact]
    public void SmallCnn_Runs_On_Real_FashionMnist_Deterministically_For_A_Seed()
    {
        ImageDataset test = IdxReader.LoadFashionMnist(TestPaths.FashionMnist);
        var batch = test.Select(Enumerable.Range(0, 64).ToArray());

        float[] Logits(int seed)
        {
            Seeding.Apply(seed);
            using var model = new SmallCnn(inputChannels: 1, classes: 10, width: 8, convLayers: 3);
            model.eval();
            using var _ = no_grad();
            using var input = torch.tensor(batch.Pixels, [64, 1, 28, 28]);
            using var logits = model.call(input);
            Assert.Equal([64L, 10L], logits.shape);
            return logits.data<float>().ToArray();
        }

        var first = Logits(3);
        Assert.All(first, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(first, Logits(3));
        Assert.NotEqual(first, Logits(4));
    }

    [Fact]
    public void SmallCnn_Conv_Layers_Are_Visible_To_Hooks_In_Registration_Order()
    {
        using var model = new SmallCnn(inputChannels: 3, classes: 4, width: 4, convLayers: 3, imageSize: 32);
        var seen = new List<long[]>();
        var hooks = model.named_modules().Where(m => m.module is TorchSharp.Modules.Conv2d)
            .Select(m => ((TorchSharp.Modules.Conv2d)m.module).register_forward_hook((_, _, o) => { seen.Add(o.shape); return o; }))
            .ToList();

        model.eval();
        using (no_grad()) model.call(torch.zeros(2, 3, 32, 32)).Dispose();
        hooks.ForEach(h => h.remove());

        Assert.Equal([[2, 4, 32, 32], [2, 4, 32, 32], [2, 8, 16, 16]], seen);
    }
}
