using Cnn.Functional.Dsl;
using Cnn.Functional.Torch;
using TorchSharp;
using static Cnn.Functional.Tests.OneLayer;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Tests;

/// <summary>LeNet-5's own layers (LeCun et al., 1998): C3's connection table, trainable subsampling, Euclidean RBF outputs.</summary>
public class LeNetLayerTests
{
    [Fact]
    public void PartialConv_is_the_convolution_whose_kernel_holds_the_packed_connections_row_by_row()
    {
        torch.manual_seed(1);
        using var module = Lower(new PartialConv(PartialConv.LeNetC3, 5, 1, Padding.Valid, Bias: true), Shape.Image(6, 9, 9));
        using var scope = NewDisposeScope();
        var packed = module.Parameter("layer.weight");
        Assert.Equal(new long[] { 60, 5, 5 }, packed.shape);
        var full = zeros(16, 6, 5, 5);
        var j = 0;
        for (var f = 0; f < 16; f++)
            foreach (var c in PartialConv.LeNetC3[f])
                full[f, c] = packed[j++];
        var x = randn(2, 6, 9, 9);
        Close(F.conv2d(x, full, module.Parameter("layer.bias")), module.forward(x));
    }

    [Fact]
    public void PartialConvs_filters_ignore_the_channels_they_are_not_connected_to()
    {
        torch.manual_seed(2);
        var table = new[] { new[] { 0, 2 }, new[] { 1 }, new[] { 0, 1, 2 } };
        using var module = Lower(Layers.PartialConv(table, 3, padding: 1), Shape.Image(3, 5, 5));
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 5, 5);
        var y = module.forward(x);
        for (var channel = 0; channel < 3; channel++)
        {
            var changed = x.clone();
            changed[.., channel] = randn(2, 5, 5);
            var z = module.forward(changed);
            for (var f = 0; f < table.Length; f++)
            {
                var differs = (z[.., f] - y[.., f]).abs().max().item<float>() > 1e-4;
                Assert.True(differs == table[f].Contains(channel), $"filter {f}, channel {channel}: differs = {differs}");
            }
        }
    }

    [Fact]
    public void Subsampling_multiplies_each_windows_sum_by_its_channels_coefficient_and_adds_its_bias()
    {
        torch.manual_seed(3);
        using var module = Lower(Layers.Subsampling(2), Shape.Image(3, 6, 4));
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 6, 4);
        // [N, C, 3, 2, 2, 2]: rows and columns split into (window index, offset in the window).
        var sums = x.reshape(2, 3, 3, 2, 2, 2).sum([3, 5]);
        var expected = sums * module.Parameter("layer.weight").reshape(1, 3, 1, 1) + module.Parameter("layer.bias").reshape(1, 3, 1, 1);
        Close(expected, module.forward(x));
    }

    [Fact]
    public void RbfOutput_is_the_squared_distance_to_each_prototype()
    {
        torch.manual_seed(4);
        using var module = Lower(Layers.RbfOutput(10), Shape.Vector(84));
        using var scope = NewDisposeScope();
        var prototypes = module.State("layer.prototypes");
        Assert.Equal(new long[] { 10, 84 }, prototypes.shape);
        Assert.True(prototypes.abs().eq(1).all().item<bool>(), "prototypes are ±1");
        var x = randn(3, 84);
        var expected = (x.unsqueeze(1) - prototypes.unsqueeze(0)).square().sum(2);
        Close(expected, module.forward(x), 1e-3);
        // At its own prototype a unit's distance is 0.
        Close(zeros(1), module.forward(prototypes[3].unsqueeze(0))[.., 3], 1e-4);
    }

    [Fact]
    public void RbfOutputs_prototypes_are_fixed_whatever_the_seed_and_not_learned()
    {
        torch.manual_seed(5);
        using var first = Lower(Layers.RbfOutput(4), Shape.Vector(12));
        torch.manual_seed(6);
        using var second = Lower(Layers.RbfOutput(4), Shape.Vector(12));
        Close(first.State("layer.prototypes"), second.State("layer.prototypes"), 0);
        Assert.Empty(first.parameters());
        // Both signs occur in every row: the stream is not degenerate.
        using var rows = first.State("layer.prototypes").gt(0).sum([1]);
        Assert.True(rows.gt(0).all().item<bool>() && rows.lt(12).all().item<bool>());
    }

    [Fact]
    public void LeNet5_as_published_runs_and_every_parameter_learns()
    {
        torch.manual_seed(7);
        var graph = LeNet.LeNet5Original();
        using var module = GraphModule.Create(graph);
        Assert.Equal(60_000, module.parameters().Sum(p => p.numel()));
        using var scope = NewDisposeScope();
        var y = module.forward(randn(2, 1, 32, 32));
        Assert.Equal(new long[] { 2, 10 }, y.shape);
        // The RBF output is a distance: training lowers the one of the right class (LeCun's eq. 8 without the competition term).
        y[.., 3].sum().backward();
        Assert.All(module.parameters(), p => Assert.True(p.grad is not null && p.grad.isfinite().all().item<bool>() && p.grad.abs().sum().item<float>() > 0));
    }
}
