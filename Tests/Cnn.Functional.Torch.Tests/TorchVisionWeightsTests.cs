using Cnn.Functional.Dsl;
using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests;

/// <summary>
/// torchvision's models and the zoo's lowered graphs compute the same function: copy torchvision's state dict
/// into the lowered module by name, and both give the same logits on the same input (within 1e-5).
/// </summary>
public class TorchVisionWeightsTests
{
    public static TheoryData<string, int> Models() => new()
    {
        { "resnet18", 64 },
        { "resnext50_32x4d", 64 },
        { "alexnet", 224 },
        { "vgg11_bn", 64 },
        { "googlenet", 64 },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Copied_weights_give_torchvisions_logits(string name, int size)
    {
        torch.manual_seed(7);
        using var reference = Create(name);
        var graph = ModelZoo.Get(name);
        var input = graph.Nodes[0].Layer is Input i ? i.Shape : throw new InvalidOperationException();
        // Smaller inputs than 224 keep the test fast where the network accepts them (adaptive pooling).
        var resized = size == input.Dims[1] ? graph : graph.WithInput(Shape.Image(3, size, size));
        using var module = GraphModule.Create(resized);
        module.load_state_dict(reference.state_dict());
        reference.eval();
        module.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = randn(2, 3, size, size);
        var expected = reference.call(x);
        var actual = module.forward(x);
        Assert.Equal(expected.shape, actual.shape);
        var difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference < 1e-5, $"{name}: largest difference {difference}");
    }

    private static nn.Module<Tensor, Tensor> Create(string name) => name switch
    {
        "resnet18" => torchvision.models.resnet18(),
        "resnext50_32x4d" => torchvision.models.resnet50(groups: 32, width_per_group: 4),
        "alexnet" => torchvision.models.alexnet(),
        "vgg11_bn" => torchvision.models.vgg11_bn(),
        _ => torchvision.models.googlenet(),
    };
}
