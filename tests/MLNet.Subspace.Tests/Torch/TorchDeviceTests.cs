using Microsoft.ML;
using MLNet.Subspace.ML;
using MLNet.Subspace.Torch;
using TorchSharp;

namespace MLNet.Subspace.Tests.Torch;

[Collection(TorchGlobalRng.Name)]
public class TorchDeviceTests
{
    [Fact]
    public void Defaults_To_The_Cpu()
    {
        Assert.Equal(DeviceType.CPU, TorchDevice.Resolve().type);
        Assert.Equal(DeviceType.CPU, new MLContext(1).GetTorchDevice().type);
    }

    [Fact]
    public void Gpu_Request_Without_Cuda_Falls_Back_When_Allowed()
    {
        var context = new MLContext(1) { GpuDeviceId = 0, FallbackToCpu = true };

        Assert.Equal(torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, context.GetTorchDevice().type);
    }

    [Fact]
    public void Gpu_Request_Without_Fallback_Uses_Cuda_Or_Explains_What_To_Do()
    {
        var context = new MLContext(1) { GpuDeviceId = 0, FallbackToCpu = false };
        if (torch.cuda.is_available())
        {
            Assert.Equal(DeviceType.CUDA, context.GetTorchDevice().type);
            return;
        }

        var e = Assert.Throws<InvalidOperationException>(() => context.GetTorchDevice());

        Assert.Contains("GPU device 0", e.Message);
        Assert.Contains("TorchSharp-cuda-linux", e.Message);
        Assert.Contains("FallbackToCpu", e.Message);
    }

    [Fact]
    public void Per_Estimator_Options_Override_The_Context()
    {
        var context = new MLContext(1) { GpuDeviceId = 0, FallbackToCpu = false };

        Assert.Equal(DeviceType.CPU, context.GetTorchDevice(new DeviceOptions { ForceCpu = true }).type);
        var expectedWithFallback = torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU;
        Assert.Equal(expectedWithFallback, context.GetTorchDevice(new DeviceOptions { FallbackToCpu = true }).type);
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchDevice.Resolve(new DeviceOptions { GpuDeviceId = -1 }));
    }

    [Fact]
    public void Same_Seed_Gives_The_Same_Torch_And_Managed_Streams()
    {
        var r1 = Seeding.Apply(42);
        var a = torch.randn(5).data<float>().ToArray();
        int m1 = r1.Next();
        var r2 = Seeding.Apply(42);
        var b = torch.randn(5).data<float>().ToArray();
        int m2 = r2.Next();
        Seeding.Apply(43);
        var c = torch.randn(5).data<float>().ToArray();

        Assert.Equal(a, b);
        Assert.Equal(m1, m2);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Initialize_Seeds_The_Weights_And_Leaves_The_Global_Stream_Where_It_Was()
    {
        static float[] Weights(int seed) => Seeding.Initialize(seed, () =>
        {
            using var model = MLNet.Subspace.Models.ModelZoo.Create("smallcnn-2-8", 1, 28, 10);
            return model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        });

        Seeding.Apply(7);
        var expected = torch.randn(5).data<float>().ToArray();
        Seeding.Apply(7);
        var first = Weights(1);
        var after = torch.randn(5).data<float>().ToArray();
        var second = Weights(1);
        var other = Weights(2);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Equal(expected, after); // the global generator continues as if nothing had drawn from it
    }
}
