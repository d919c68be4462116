using TorchSharp;
using static Cnn.Functional.Tests.OneLayer;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Tests;

/// <summary>The Dirac parameterisation (Zagoruyko &amp; Komodakis, 2017): Ŵ = diag(α)·I + diag(β)·W/‖W‖.</summary>
public class DiracConvTests
{
    [Fact]
    public void Starts_with_alpha_one_and_beta_a_tenth()
    {
        using var module = Lower(Layers.DiracConv(4, 3, padding: 1), Shape.Image(4, 5, 5));
        Close(ones(4), module.Parameter("layer.alpha"), 0);
        Close(full(4, 0.1f), module.Parameter("layer.beta"), 0);
    }

    [Fact]
    public void With_beta_zero_it_is_the_identity()
    {
        torch.manual_seed(1);
        using var module = Lower(Layers.DiracConv(3, 3, padding: 1, bias: false), Shape.Image(3, 6, 5));
        using var scope = NewDisposeScope();
        module.Set("layer.beta", zeros(3));
        var x = randn(2, 3, 6, 5);
        Close(x, module.forward(x), 1e-6);
    }

    [Theory]
    [InlineData(5, 3)]
    [InlineData(2, 4)]
    public void With_beta_zero_it_passes_the_first_min_F_C_channels(int filters, int channels)
    {
        torch.manual_seed(2);
        using var module = Lower(Layers.DiracConv(filters, Size.Of(3, 1, 3), padding: Padding.Same, bias: false), Shape.Volume(channels, 3, 4, 5));
        using var scope = NewDisposeScope();
        module.Set("layer.beta", zeros(filters));
        module.Set("layer.alpha", full(filters, 2f));
        var x = randn([2, channels, 3, 4, 5]);
        var kept = Math.Min(filters, channels);
        var expected = cat([2 * x[.., ..kept], zeros([2, filters - kept, 3, 4, 5])], 1);
        Close(expected, module.forward(x), 1e-6);
    }

    [Fact]
    public void Is_the_convolution_with_the_identity_plus_beta_times_the_normalised_weight()
    {
        torch.manual_seed(3);
        using var module = Lower(Layers.DiracConv(3, 3, padding: 2, dilation: 2), Shape.Image(3, 6, 6));
        using var scope = NewDisposeScope();
        module.Set("layer.alpha", tensor(new[] { 1f, 0.5f, -1f }));
        var weight = module.Parameter("layer.weight");
        var identity = zeros(3, 3, 3, 3);
        for (var i = 0; i < 3; i++) identity[i, i, 1, 1] = tensor(1f);
        var norms = weight.square().sum([1, 2, 3], keepdim: true).sqrt();
        var kernel = tensor(new[] { 1f, 0.5f, -1f }).reshape(3, 1, 1, 1) * identity + 0.1f * weight / norms;
        var x = randn(2, 3, 6, 6);
        Close(F.conv2d(x, kernel, module.Parameter("layer.bias"), padding: [2, 2], dilation: [2, 2]), module.forward(x));
    }
}
