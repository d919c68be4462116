using Cnn.Functional.Torch;
using TorchSharp;
using static Cnn.Functional.Tests.OneLayer;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests;

/// <summary>Fixes the lowering needed beyond the exotic layers: 3-D adaptive max pooling, L2 pooling at zero, to(float64).</summary>
public class PoolingAndConversionTests
{
    [Fact]
    public void Adaptive_max_pooling_in_3d_takes_the_maximum_of_each_adaptive_bin()
    {
        torch.manual_seed(1);
        using var module = Lower(Layers.AdaptiveMaxPool(Size.Of(2, 3, 2)), Shape.Volume(2, 5, 4, 3));
        using var scope = NewDisposeScope();
        var x = randn([2, 2, 5, 4, 3]);
        var y = module.forward(x);
        Assert.Equal(new long[] { 2, 2, 2, 3, 2 }, y.shape);
        // PyTorch's bins: output i of O over L covers [⌊i·L/O⌋, ⌈(i + 1)·L/O⌉).
        static (int, int) Bin(int i, int output, int length) => (i * length / output, ((i + 1) * length + output - 1) / output);
        for (var d = 0; d < 2; d++)
            for (var h = 0; h < 3; h++)
                for (var w = 0; w < 2; w++)
                {
                    var (d0, d1) = Bin(d, 2, 5);
                    var (h0, h1) = Bin(h, 3, 4);
                    var (w0, w1) = Bin(w, 2, 3);
                    var expected = x[.., .., d0..d1, h0..h1, w0..w1].amax([2, 3, 4]);
                    Close(expected, y[.., .., d, h, w], 0);
                }
    }

    [Fact]
    public void L2_pooling_a_window_of_zeros_has_a_zero_gradient_not_NaN()
    {
        foreach (var layer in new[] { Layers.L2Pool(2), Layers.GlobalPool(PoolKind.L2) })
        {
            using var module = Lower(layer, Shape.Image(1, 2, 4));
            using var scope = NewDisposeScope();
            var x = cat([zeros(1, 1, 2, 2), ones(1, 1, 2, 2)], 3).requires_grad_();
            var y = module.forward(x);
            y.sum().backward();
            Assert.True(x.grad!.isfinite().all().item<bool>(), $"{layer.Kind}: {x.grad}");
            Assert.Equal(0, x.grad![.., .., .., ..2].abs().sum().item<float>());
        }
    }

    [Fact]
    public void A_graph_with_batch_norm_and_PReLU_converts_to_double_and_keeps_training()
    {
        var graph = Graph.Create("norms", Shape.Image(2, 5, 5))
            .Then("conv", Layers.Conv(3, 3, padding: 1))
            .Then("bn", Layers.BatchNorm())
            .Then("prelu", Layers.PRelu())
            .Then("in", Layers.InstanceNorm(affine: true, trackRunningStats: true))
            .Then("pool", Layers.GlobalAvgPool());
        // TorchSharp writes converted tensors back only into fields named like them: a stale field would be disposed here.
        using var module = GraphModule.Create(graph).to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        for (var step = 0; step < 2; step++) module.forward(randn(4, 2, 5, 5, dtype: ScalarType.Float64)).sum().backward();
        Assert.Equal(2, module.state_dict()["bn.num_batches_tracked"].item<long>());
        Assert.All(module.state_dict(), kv => Assert.Equal(kv.Key.EndsWith("num_batches_tracked") ? ScalarType.Int64 : ScalarType.Float64, kv.Value.dtype));
        Assert.True(module.state_dict()["bn.running_mean"].abs().sum().item<double>() > 0);
    }
}
