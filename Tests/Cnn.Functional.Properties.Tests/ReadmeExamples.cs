using Cnn.Functional.Properties;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Tests;

/// <summary>The README's laws section, compiled and run (with a stand-in for the reader's own convolution).</summary>
[Collection("Laws")]
public class ReadmeExamples
{
    // The reader's own convolution: libtorch's, on the lowered layer's weight and bias.
    private static Tensor MyConv(Tensor x, Torch.NodeModule module) =>
        F.conv2d(x, module.named_parameters().Single(p => p.name == "weight").parameter, module.named_parameters().Single(p => p.name == "bias").parameter, padding: [1, 1]);

    [Fact]
    public void The_readme_section_runs_as_written()
    {
        var conv = Subject.For(Layers.Conv(8, 3, padding: Padding.Same), Shape.Image(3, 12, 12));
        LawResult result = Laws.TranslationEquivariance.Check(conv);
        Assert.Equal(LawStatus.Holds, result.Status);

        var coord = Subject.For(Layers.CoordConv(8, 3, padding: Padding.Same), Shape.Image(3, 12, 12));
        var violated = Laws.TranslationEquivariance.Check(coord);
        Assert.Equal(LawStatus.Violated, violated.Status);
        Assert.StartsWith("translation-equivariance is violated by layer (seed ", violated.ToString());
        Assert.Contains("configuration: layer: CoordConv { Filters = 8, Kernel = 3, Stride = 1, Padding = same,", violated.ToString());

        var mine = conv.WithForward("my conv", (module, inputs) => MyConv(inputs[0], module));
        var verdicts = Laws.All.Select(law => law.Check(mine, new LawOptions { Cases = 20 })).ToList();
        Assert.DoesNotContain(verdicts, v => v.Status == LawStatus.Violated);
        Assert.Equal(5, verdicts.Count(v => v.Holds));

        Assert.True(Laws.Adjoint.Check(SubjectArbitraries.Of(SubjectGenerators.TransposedConvolutions())).Holds);
    }
}
