using Cnn.Functional.Properties;
using Xunit.Abstractions;
using FsCheck;
using FsCheck.Fluent;
using static Cnn.Functional.Tests.Mutants;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Tests;

/// <summary>
/// A law that cannot fail is a defect: every law is run against a deliberately broken layer and must report it
/// violated, with a shrunk counterexample naming the configuration (the replaced forward among it), the case, and a
/// difference beyond the tolerance. CoordConv and unshared convolution — real layers, not mutants — must be found not
/// translation-equivariant.
/// </summary>
[Collection("Laws")]
public class MutationTests(ITestOutputHelper output)
{
    private static readonly LawOptions Options = new() { Cases = 100 };

    private Counterexample Violated(Law law, Gen<Subject> subjects, string? mutant = null)
    {
        var found = Check(law, subjects, mutant);
        output.WriteLine(found.ToString());
        return found;
    }

    private static Counterexample Check(Law law, Gen<Subject> subjects, string? mutant = null)
    {
        var result = law.Check(SubjectArbitraries.Of(subjects), Options);
        Assert.True(result.Status == LawStatus.Violated, $"{law.Name} missed the break: {result}");
        var counterexample = result.Counterexample!;
        if (mutant is not null) Assert.Contains(mutant, counterexample.Configuration);
        if (!double.IsNaN(counterexample.LargestDifference))
            Assert.True(counterexample.LargestDifference > counterexample.Tolerance, counterexample.ToString());
        Assert.Contains(counterexample.Configuration, result.ToString());
        return counterexample;
    }

    [Fact]
    public void CoordConv_is_found_not_translation_equivariant()
    {
        var found = Violated(Laws.TranslationEquivariance, SubjectGenerators.CoordConvs());
        Assert.Contains("CoordConv", found.Configuration);
        Assert.Matches("translation|circular shift", found.Transformation);
    }

    [Fact]
    public void Unshared_convolution_is_found_not_translation_equivariant()
    {
        var found = Violated(Laws.TranslationEquivariance, SubjectGenerators.LocallyConnectedLayers());
        Assert.Contains("LocallyConnected", found.Configuration);
        Assert.Matches("translation|circular shift", found.Transformation);
    }

    [Fact]
    public void A_convolution_with_a_bias_per_position_is_not_translation_equivariant() =>
        Violated(Laws.TranslationEquivariance,
            SubjectGenerators.Convolutions().Broken("a bias that grows along the last axis", (m, x) => m.Forward(x) + Ramp(m.Forward(x)) * 0.1),
            "a bias that grows");

    [Fact]
    public void A_global_pool_weighted_by_position_is_not_shift_invariant() =>
        Violated(Laws.CircularShiftInvariance,
            SubjectGenerators.GlobalPools(PoolKind.Average).Broken("a mean weighted by position", (_, x) => (x[0] * (Ramp(x[0]) + 1)).mean(Spatial(x[0]))),
            "weighted by position");

    [Fact]
    public void A_global_pool_that_reads_one_corner_is_not_permutation_invariant() =>
        Violated(Laws.SpatialPermutationInvariance,
            SubjectGenerators.GlobalPools(PoolKind.Max).Broken("the value at the first position", (_, x) => x[0].flatten(2).select(2, 0)),
            "first position");

    [Fact]
    public void A_pool_that_weighs_values_by_position_is_not_invariant_within_windows() =>
        Violated(Laws.WindowPermutationInvariance,
            SubjectGenerators.NonOverlappingPools(PoolKind.Max).Broken("values weighted by position before pooling", (m, x) => m.Forward([x[0] * (Ramp(x[0]) + 1)])),
            "weighted by position");

    [Fact]
    public void A_convolution_with_a_hidden_constant_is_not_linear() =>
        Violated(Laws.Linearity, SubjectGenerators.Convolutions().Broken("a constant 0.5 outside the state dict", (m, x) => m.Forward(x) + 0.5), "constant 0.5");

    [Fact]
    public void A_1x1_convolution_that_reads_the_neighbouring_pixel_is_not_a_per_pixel_dense_layer() =>
        Violated(Laws.PointwiseDense,
            SubjectGenerators.PointwiseConvolutions().Broken("the neighbouring pixel read", (m, x) => m.Forward([x[0].roll(1, x[0].dim() - 1)])),
            "neighbouring pixel");

    [Fact]
    public void A_separable_convolution_with_a_mirrored_factor_is_not_the_rank_one_convolution() =>
        Violated(Laws.SeparableRankOne,
            from c in Gen.Choose(1, 3) from f in Gen.Choose(1, 3) from h in Gen.Choose(5, 8) from w in Gen.Choose(5, 8)
            select Subject.For(Layers.SpatiallySeparableConv(f, 3, padding: Padding.Same), Shape.Image(c, h, w))
                .WithForward("the row factor mirrored", (m, x) => m.Forward([x[0].flip(3)]).flip(3)),
            "mirrored");

    [Fact]
    public void A_depthwise_separable_convolution_wired_to_the_wrong_channels_is_not_the_decomposition() =>
        Violated(Laws.DepthwiseSeparableDecomposition,
            from c in Gen.Choose(2, 4) from f in Gen.Choose(1, 3) from s in Gen.Choose(5, 8)
            select Subject.For(Layers.DepthwiseSeparableConv(f, 3, padding: Padding.Same), Shape.Image(c, s, s))
                .WithForward("channels rotated by one", (m, x) => m.Forward([x[0].roll(1, 1)])),
            "rotated by one");

    [Fact]
    public void A_group_convolution_wired_to_the_wrong_channel_groups_is_not_the_concatenation() =>
        Violated(Laws.GroupDecomposition,
            from g in Gen.Choose(2, 3) from c in Gen.Choose(1, 2) from f in Gen.Choose(1, 2) from s in Gen.Choose(5, 8)
            select Subject.For(Layers.GroupConv(g * f, 3, g, padding: Padding.Same), Shape.Image(g * c, s, s))
                .WithForward("groups reading their neighbour's channels", (m, x) => m.Forward([x[0].roll(x[0].shape[1] / 2, 1)])),
            "neighbour's channels");

    [Fact]
    public void A_transposed_convolution_without_the_kernel_flip_is_not_the_adjoint() =>
        Violated(Laws.Adjoint,
            from c in Gen.Choose(1, 3) from f in Gen.Choose(1, 3) from s in Gen.Choose(3, 6)
            select Subject.For(Layers.ConvTranspose(f, 3), Shape.Image(c, s, s))
                // Mirroring input and output mirrors the kernel: a transposed convolution whose kernel was never flipped.
                .WithForward("the kernel not flipped", (m, x) => m.Forward([x[0].flip(2, 3)]).flip(2, 3)),
            "not flipped");

    [Fact]
    public void A_convolution_that_flips_its_kernel_breaks_the_backprop_closed_form() =>
        Violated(Laws.ConvBackprop,
            SubjectGenerators.ZeroPaddedConvolutions().Broken("a true (flipped-kernel) convolution: input and output mirrored",
                (m, x) => m.Forward([x[0].flip(Spatial(x[0]))]).flip(Spatial(x[0]))),
            "flipped-kernel");

    [Fact]
    public void A_max_pool_that_routes_its_gradient_to_the_arg_min_breaks_the_switches() =>
        Violated(Laws.MaxPoolSwitches,
            SubjectGenerators.Pools(PoolKind.Max).Broken("max forward, gradient to each window's minimum", (m, x) =>
            {
                // −pool(−x) is the window minimum: its gradient goes to the arg-min; the forward stays the maximum.
                var minimum = -m.Forward([-x[0]]);
                return m.Forward(x).detach() + (minimum - minimum.detach());
            }),
            "minimum");

    [Fact]
    public void Dropout_that_drops_at_evaluation_is_not_the_identity() =>
        Violated(Laws.DropoutEvalIdentity,
            SubjectGenerators.Dropouts().Broken("dropping at evaluation too", (m, x) => F.dropout(x[0], 0.5, true)), "evaluation too");

    [Fact]
    public void Dropout_without_the_inverted_scaling_has_the_wrong_expectation()
    {
        var found = Violated(Laws.DropoutExpectation,
            SubjectGenerators.Dropouts().Select(s => s.WithForward("survivors not rescaled", (m, x) => m.Forward(x) * (1 - ((Dropout)s.Layer!).Rate))),
            "not rescaled");
        Assert.Contains("survivors", found.Detail);
    }

    [Fact]
    public void Dropout_at_twice_its_rate_drops_the_wrong_fraction()
    {
        var found = Violated(Laws.DropoutExpectation,
            from tenths in Gen.Choose(1, 4) from s in Gen.Choose(5, 8)
            select Subject.For(Layers.Dropout(tenths / 10.0), Shape.Image(2, s, s))
                .WithForward("twice the rate, scaled for the rate", (m, x) => F.dropout(x[0], 2 * tenths / 10.0, true) * ((1 - 2 * tenths / 10.0) / (1 - tenths / 10.0))),
            "twice the rate");
        Assert.Contains("dropped", found.Detail);
    }

    [Fact]
    public void Spatial_dropout_that_drops_whole_examples_is_caught()
    {
        var found = Violated(Laws.DropoutExpectation,
            from tenths in Gen.Choose(2, 7) from c in Gen.Choose(2, 4) from s in Gen.Choose(3, 6)
            select Subject.For(Layers.SpatialDropout(tenths / 10.0), Shape.Image(c, s, s))
                .WithForward("whole examples dropped", (m, x) =>
                {
                    var p = tenths / 10.0;
                    var keep = rand([x[0].shape[0], 1, 1, 1], dtype: x[0].dtype).gt(p).to_type(x[0].dtype) / (1 - p);
                    return x[0] * keep;
                }),
            "whole examples");
        Assert.Contains("channels dropped or all kept", found.Detail);
    }

    [Fact]
    public void Batch_norm_that_uses_running_statistics_in_training_does_not_standardise() =>
        Violated(Laws.BatchNormStandardizes,
            SubjectGenerators.BatchNorms().Broken("running statistics in training", (m, x) =>
            {
                m.eval();
                var y = m.Forward(x);
                m.train();
                return y;
            }),
            "running statistics");

    [Fact]
    public void A_Dirac_convolution_with_its_delta_off_centre_is_not_the_identity() =>
        Violated(Laws.DiracIdentity,
            SubjectGenerators.IdentityShapedDiracConvolutions().Broken("the delta one tap off centre", (m, x) => m.Forward([x[0].roll(1, x[0].dim() - 1)])),
            "off centre");

    [Fact]
    public void A_residual_block_whose_addition_halves_is_not_the_identity() =>
        Violated(Laws.ZeroResidualIdentity,
            SubjectGenerators.ResidualBlocks().Select(s => s.WithForward("add", "an average instead of a sum", (_, x) => (x[0] + x[1]) / 2)),
            "average instead of a sum");

    [Fact]
    public void A_classifier_that_flattens_channels_last_has_no_equivalent_fully_convolutional_net() =>
        Violated(Laws.FullyConvolutionalEquivalence,
            from c in Gen.Choose(2, 3) from s in Gen.Choose(6, 9) from classes in Gen.Choose(2, 4)
            select Subject.For(Graph.Create("classifier", Shape.Image(c, s, s))
                    .Then("conv", Layers.Conv(3, 3, padding: Padding.Same)).Then("relu", Layers.Relu())
                    .Then("flatten", Layers.Flatten()).Then("fc", Layers.Dense(classes)))
                .WithForward("flatten", "a channels-last flatten", (_, x) => x[0].permute(0, 2, 3, 1).flatten(1)),
            "channels-last");

    [Fact]
    public void A_layer_that_drops_its_last_row_breaks_shape_inference()
    {
        var found = Violated(Laws.ShapeInference,
            SubjectGenerators.Convolutions().Broken("the last row dropped", (m, x) =>
            {
                var y = m.Forward(x);
                return y.narrow(-1, 0, Math.Max(y.shape[^1] - 1, 0));
            }),
            "last row dropped");
        Assert.Contains("inferred", found.Detail);
    }

    [Fact]
    public void A_layer_off_by_a_thousandth_is_caught_in_float32()
    {
        // The float32 tolerance is 10⁻⁴ of the values' scale: a break of 10⁻³ of the output must not hide in it.
        var result = Laws.GroupDecomposition.Check(SubjectArbitraries.Of(SubjectGenerators.GroupConvolutions()
            .Broken("outputs 0.1% too large", (m, x) => m.Forward(x) * 1.001)), new LawOptions { Cases = 100, DTypes = [ScalarType.Float32] });
        Assert.True(result.Status == LawStatus.Violated, result.ToString());
    }
}
