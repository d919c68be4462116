using TorchSharp;
using static Cnn.Functional.Tests.OneLayer;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Tests;

/// <summary>
/// Binary-Weight-Networks and XNOR-Networks (Rastegari et al., 2016): weights ±α with α = mean|W| per filter, inputs
/// ±1 scaled by K, and the straight-through gradients of §3.
/// </summary>
public class BinaryLayerTests
{
    [Fact]
    public void BinaryConvs_effective_weights_are_plus_or_minus_alpha_with_the_signs_of_the_real_weights()
    {
        torch.manual_seed(1);
        using var module = Lower(Layers.BinaryConv(4, 3, bias: false), Shape.Image(2, 3, 3));
        using var scope = NewDisposeScope();
        // One-hot inputs read the kernel entry by entry: output f for the input with a 1 at (c, i, j) is W̃[f, c, i, j].
        var read = module.forward(eye(18).reshape(18, 2, 3, 3)).reshape(18, 4).t().reshape(4, 2, 3, 3);
        var weight = module.Parameter("layer.weight");
        var alpha = weight.abs().mean([1, 2, 3], keepdim: true);
        Close(alpha * weight.sign(), read, 1e-6);
    }

    [Fact]
    public void BinaryDenses_effective_weights_are_plus_or_minus_alpha_per_unit()
    {
        torch.manual_seed(2);
        using var module = Lower(Layers.BinaryDense(3, bias: false), Shape.Vector(5));
        using var scope = NewDisposeScope();
        var read = module.forward(eye(5)).t();
        var weight = module.Parameter("layer.weight");
        Close(weight.abs().mean([1], keepdim: true) * weight.sign(), read, 1e-6);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void XnorConv_is_the_convolution_of_the_input_signs_scaled_by_K_and_alpha(int groups)
    {
        torch.manual_seed(3);
        using var module = Lower(Layers.BinaryConv(4, 3, stride: 2, padding: 1, groups: groups, mode: Binarization.WeightsAndInputs), Shape.Image(4, 7, 7));
        using var scope = NewDisposeScope();
        var x = randn(2, 4, 7, 7);
        var weight = module.Parameter("layer.weight");
        var binary = weight.abs().mean([1, 2, 3], keepdim: true) * weight.sign();
        var signs = F.conv2d(x.sign(), binary, null, [2, 2], [1, 1], groups: groups);
        // K: the mean of |I| over the (C/G)·ΠK values of each zero-padded window of the filter's group —
        // A = Σ|I_c|/c averaged over the window — the same for the group's F/G filters.
        var k = cat(x.chunk(groups, 1).Select(part => F.unfold(part.abs(), 3, padding: 1, stride: 2).mean([1]).reshape(2, 1, 4, 4)).ToArray(), 1)
            .repeat_interleave(4 / groups, dim: 1);
        var expected = signs * k + module.Parameter("layer.bias").reshape(1, 4, 1, 1);
        Close(expected, module.forward(x), 1e-5);
    }

    [Fact]
    public void XnorDense_is_the_product_of_the_input_signs_scaled_by_the_mean_magnitude()
    {
        torch.manual_seed(4);
        using var module = Lower(Layers.BinaryDense(3, mode: Binarization.WeightsAndInputs), Shape.Vector(6));
        using var scope = NewDisposeScope();
        var x = randn(4, 6);
        var weight = module.Parameter("layer.weight");
        var binary = weight.abs().mean([1], keepdim: true) * weight.sign();
        var expected = x.sign().matmul(binary.t()) * x.abs().mean([1], keepdim: true) + module.Parameter("layer.bias");
        Close(expected, module.forward(x), 1e-5);
    }

    [Fact]
    public void The_inputs_gradient_passes_only_where_the_input_is_within_one()
    {
        torch.manual_seed(5);
        using var module = Lower(Layers.BinaryConv(3, 3, padding: 1, mode: Binarization.WeightsAndInputs), Shape.Image(2, 6, 6));
        using var scope = NewDisposeScope();
        var x = (2 * randn(2, 2, 6, 6)).requires_grad_();
        module.forward(x).square().sum().backward();
        var inside = x.detach().abs().le(1);
        Assert.Equal(0, x.grad!.masked_select(inside.logical_not()).abs().sum().item<float>());
        Assert.True(x.grad!.masked_select(inside).ne(0).any().item<bool>(), "no gradient inside [−1, 1]");
    }

    [Fact]
    public void The_weights_gradient_is_the_papers_one_over_n_plus_alpha_where_the_weight_is_within_one()
    {
        torch.manual_seed(6);
        using var module = Lower(Layers.BinaryConv(2, 3, bias: false), Shape.Image(3, 5, 5));
        using var scope = NewDisposeScope();
        var weight = module.Parameter("layer.weight");
        using (no_grad()) weight[0, 0, 0, 0] = tensor(1.5f);   // one weight outside [−1, 1]
        var x = randn(2, 3, 5, 5);
        var r = randn(2, 2, 3, 3);
        (module.forward(x) * r).sum().backward();
        // ∂C/∂W̃ from the same loss with W̃ as a leaf, then ∂C/∂Wᵢ = ∂C/∂W̃ᵢ·(1/n + α·1_{|Wᵢ|≤1}) (§3.1).
        var alpha = weight.detach().abs().mean([1, 2, 3], keepdim: true);
        var binary = (alpha * weight.detach().sign()).requires_grad_();
        (F.conv2d(x, binary) * r).sum().backward();
        var expected = binary.grad! * (1.0 / 27 + alpha * weight.detach().abs().le(1).to(ScalarType.Float32));
        Close(expected, weight.grad!, 1e-5);
    }
}
