using Cnn.Functional.Properties;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests;

/// <summary>
/// The laws as a user meets them: checking one layer of their own, reading why a law does not apply, replaying a
/// counterexample from its seed, handing a law to FsCheck's runner, and clear errors for bad input.
/// </summary>
[Collection("Laws")]
public class LawApiTests
{
    private static readonly Subject Conv = Subject.For(Layers.Conv(4, 3, padding: Padding.Same), Shape.Image(2, 9, 9));

    [Fact]
    public void A_users_own_convolution_checks_against_the_laws_with_the_librarys_weights()
    {
        // My convolution: libtorch's conv2d on the lowered layer's own weight and bias.
        var mine = Conv.WithForward("my conv2d", (m, x) => TorchSharp.torch.nn.functional.conv2d(x[0],
            m.named_parameters().Single(p => p.name == "weight").parameter, m.named_parameters().Single(p => p.name == "bias").parameter, padding: [1, 1]));
        foreach (var law in new[] { Laws.TranslationEquivariance, Laws.Linearity, Laws.Adjoint, Laws.ConvBackprop, Laws.ShapeInference })
        {
            var result = law.Check(mine, new LawOptions { Cases = 30 });
            Assert.True(result.Holds, result.ToString());
            Assert.Equal(30, result.Cases);
        }
    }

    [Fact]
    public void A_law_that_does_not_apply_says_why()
    {
        var relu = Laws.Linearity.Check(Subject.For(Layers.Relu(), Shape.Image(2, 5, 5)));
        Assert.Equal(LawStatus.NotApplicable, relu.Status);
        Assert.Equal("is a nonlinearity", relu.Reason);
        var dense = Laws.TranslationEquivariance.Check(Subject.For(Layers.Dense(3), Shape.Vector(6)));
        Assert.Equal(LawStatus.NotApplicable, dense.Status);
        Assert.Contains("no spatial dimensions", dense.Reason);
        var dirac = Laws.DiracIdentity.Check(Subject.For(Layers.Conv(3, 2, padding: Padding.Same), Shape.Image(3, 6, 6)));
        Assert.Contains("does not centre the kernel", dirac.Reason);
        Assert.Equal(0, dirac.Cases);
    }

    [Fact]
    public void A_counterexample_replays_from_its_seed_and_shrinks_to_a_small_configuration()
    {
        var family = SubjectArbitraries.Of(SubjectGenerators.CoordConvs());
        var options = new LawOptions { Cases = 100, Seed = 20240611 };
        var first = Laws.TranslationEquivariance.Check(family, options);
        var again = Laws.TranslationEquivariance.Check(family, options);
        Assert.Equal(LawStatus.Violated, first.Status);
        Assert.Equal(first.Counterexample!.Configuration, again.Counterexample!.Configuration);
        Assert.Equal(first.Counterexample.Trial, again.Counterexample.Trial);
        Assert.Equal(first.Counterexample.LargestDifference, again.Counterexample.LargestDifference);
        // Replaying the shrunk case by hand gives the same verdict.
        var replay = Laws.TranslationEquivariance.RunCase(first.Counterexample.Subject, first.Counterexample.Trial);
        Assert.Equal(Verdict.Violated, replay.Verdict);
        Assert.Equal(first.Counterexample.LargestDifference, replay.LargestDifference);
        // Shrinking leaves a small layer: at most 4 channels, a few positions, a batch of 1.
        Assert.True(first.Counterexample.Subject.InputShape.Elements <= 16, first.ToString());
        Assert.Equal(1, first.Counterexample.Trial.Batch);
    }

    [Fact]
    public void A_violation_reports_configuration_case_and_largest_difference()
    {
        var broken = Conv.WithForward("a bias that grows along the width", (m, x) => m.Forward(x) + Mutants.Ramp(m.Forward(x)));
        var result = Laws.TranslationEquivariance.Check(broken, new LawOptions { Cases = 100 });
        Assert.Equal(LawStatus.Violated, result.Status);
        var text = result.ToString();
        Assert.Contains("configuration: layer: Conv", text);
        Assert.Contains("replaced by a bias that grows along the width", text);
        Assert.Matches("translation by|circular shift by", text);
        Assert.Matches(@"largest difference [0-9.E+-]+ > tolerance [0-9.E+-]+", text);
        Assert.Contains($"seed {result.Seed}", text);
    }

    [Fact]
    public void Both_dtypes_run_and_float64_holds_to_its_tighter_tolerance()
    {
        var float64 = Laws.Adjoint.Check(SubjectArbitraries.Of(SubjectGenerators.ZeroPaddedConvolutions()), new LawOptions { Cases = 100, DTypes = [ScalarType.Float64] });
        Assert.True(float64.Holds, float64.ToString());
        Assert.Equal(1e-10, Tolerance.Relative(ScalarType.Float64));
        Assert.True(Tolerance.Relative(ScalarType.Float32) > Tolerance.Relative(ScalarType.Float64));
    }

    [Property(MaxTest = 100)]
    public Property A_law_is_an_FsCheck_property() => Laws.TranslationEquivariance.ToProperty(Conv);

    [Fact]
    public void FsCheck_fails_the_property_of_a_broken_layer()
    {
        var broken = Conv.WithForward("the width mirrored", (m, x) => m.Forward(x).flip(3));
        var property = Laws.TranslationEquivariance.ToProperty(broken);
        Assert.ThrowsAny<Exception>(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), property));
    }

    [Fact]
    public void Bad_input_gets_a_clear_error()
    {
        var invalid = Assert.Throws<GraphException>(() => Subject.For(Layers.Conv(3, 7), Shape.Image(1, 3, 3)));
        Assert.StartsWith("layer: kernel 7 is larger than the padded input 3", invalid.Message);
        Assert.Throws<GraphException>(() => Conv.WithForward("nowhere", "x", (m, x) => x[0]));
        var notApplicable = Assert.Throws<ArgumentException>(() => Laws.Linearity.ToProperty(Subject.For(Layers.Relu(), Shape.Vector(3))));
        Assert.Contains("linearity does not apply to layer: is a nonlinearity", notApplicable.Message);
        Assert.Throws<GraphException>(() => GraphLaws.Check(Dsl.LeNet.LeNet5(), under: "no/such/node"));
        Assert.Throws<ArgumentException>(() => ShiftStability.Measure(Conv));
    }
}
