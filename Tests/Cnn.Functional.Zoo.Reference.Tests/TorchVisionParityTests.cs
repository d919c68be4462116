using Cnn.Functional.Dsl;
using TorchSharp;

namespace Cnn.Functional.Tests;

/// <summary>
/// Every zoo model that torchvision also has is checked against torchvision's own (TorchSharp's port):
/// the same parameter count, and a state dict with the same names and shapes, entry for entry — the graph
/// side of copying torchvision's weights across once graphs are lowered.
/// </summary>
public class TorchVisionParityTests
{
    public static TheoryData<string> Models() => new(TorchVisionModels.Names);

    [Theory]
    [MemberData(nameof(Models))]
    public void The_state_dict_matches_torchvisions_entry_for_entry(string name)
    {
        using var reference = TorchVisionModels.Create(name);
        var expected = reference.state_dict()
            .Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value.shape)}]")
            .OrderBy(s => s, StringComparer.Ordinal).ToList();
        var actual = StateDictLayout.Of(ModelZoo.Get(name).Infer())
            .Select(t => $"{t.Name} [{string.Join(", ", t.Shape.Items)}]")
            .OrderBy(s => s, StringComparer.Ordinal).ToList();

        var missing = expected.Except(actual).ToList();
        var extra = actual.Except(expected).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{name}: missing {missing.Count} (e.g. {string.Join("; ", missing.Take(5))}); extra {extra.Count} (e.g. {string.Join("; ", extra.Take(5))})");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void The_parameter_count_equals_torchvisions(string name)
    {
        using var reference = TorchVisionModels.Create(name);
        var expected = reference.parameters().Sum(p => p.numel());
        Assert.Equal(expected, ModelZoo.Get(name).Summarize().Totals.Parameters);
    }
}

/// <summary>torchvision's constructors for the models the zoo shares with it.</summary>
internal static class TorchVisionModels
{
    private static readonly Dictionary<string, Func<torch.nn.Module>> Factories = new()
    {
        ["alexnet"] = () => torchvision.models.alexnet(),
        ["vgg11"] = () => torchvision.models.vgg11(),
        ["vgg13"] = () => torchvision.models.vgg13(),
        ["vgg16"] = () => torchvision.models.vgg16(),
        ["vgg19"] = () => torchvision.models.vgg19(),
        ["vgg11_bn"] = () => torchvision.models.vgg11_bn(),
        ["vgg13_bn"] = () => torchvision.models.vgg13_bn(),
        ["vgg16_bn"] = () => torchvision.models.vgg16_bn(),
        ["vgg19_bn"] = () => torchvision.models.vgg19_bn(),
        ["resnet18"] = () => torchvision.models.resnet18(),
        ["resnet34"] = () => torchvision.models.resnet34(),
        ["resnet50"] = () => torchvision.models.resnet50(),
        ["resnet101"] = () => torchvision.models.resnet101(),
        ["resnet152"] = () => torchvision.models.resnet152(),
        ["resnext50_32x4d"] = () => torchvision.models.resnet50(groups: 32, width_per_group: 4),
        ["resnext101_32x8d"] = () => torchvision.models.resnet101(groups: 32, width_per_group: 8),
        ["googlenet"] = () => torchvision.models.googlenet(),
    };

    public static IEnumerable<string> Names => Factories.Keys;

    public static torch.nn.Module Create(string name) => Factories[name]();
}
