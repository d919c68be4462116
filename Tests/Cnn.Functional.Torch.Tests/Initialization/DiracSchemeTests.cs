using Cnn.Functional.Torch;
using TorchSharp;
using static Cnn.Functional.Tests.InitializationTests.InitTesting;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.InitializationTests;

/// <summary>The Dirac scheme: the identity kernel of <c>dirac_</c>, so a 'same' convolution with it returns its input exactly.</summary>
public class DiracSchemeTests
{
    public static TheoryData<Layer, Shape> IdentityLayers => new()
    {
        { Layers.Conv(8, 3, padding: Padding.Same), Shape.Image(8, 7, 6) },
        { Layers.Conv(6, 5, padding: Padding.Same, dilation: 2), Shape.Image(6, 9, 9) },
        { Layers.GroupConv(8, 3, groups: 2, padding: Padding.Same), Shape.Image(8, 5, 5) },
        { Layers.Conv(4, 3, padding: Padding.Same), Shape.Sequence(4, 11) },
        { Layers.Conv(3, Size.Of(3, 1, 5), padding: Padding.Same), Shape.Volume(3, 4, 5, 6) },
        { Layers.ConvTranspose(5, 3, padding: 1), Shape.Image(5, 6, 6) },
        { Layers.LocallyConnected(4, 3, padding: Padding.Same), Shape.Image(4, 5, 5) },
    };

    [Theory]
    [MemberData(nameof(IdentityLayers))]
    public void A_same_convolution_with_in_equal_to_out_returns_its_input_exactly(Layer layer, Shape input)
    {
        using var module = OneLayer(layer, input, Initializers.Dirac());
        using var scope = NewDisposeScope();
        var x = randn([3, .. input.Dims.Items.Select(d => (long)d)], generator: new Generator(5));
        using var _ = no_grad();
        var y = module.forward(x);
        Assert.True(BitEqual(x, y), $"{layer.Kind}: max |y − x| = {MaxAbs(y - x)}");
    }

    [Fact]
    public void With_more_filters_than_channels_the_first_channels_pass_and_the_rest_are_zero()
    {
        using var module = OneLayer(Layers.Conv(6, 3, padding: 1), Shape.Image(4, 5, 5), Initializers.Dirac());
        using var scope = NewDisposeScope();
        var x = randn([2, 4, 5, 5], generator: new Generator(6));
        using var _ = no_grad();
        Assert.True(BitEqual(cat([x, zeros(2, 2, 5, 5)], 1), module.forward(x)));
        Assert.Equal(4, module.Parameter("layer.weight").count_nonzero().item<long>());
    }

    [Fact]
    public void An_override_on_a_dense_layer_is_an_error_naming_the_layer_and_its_weight()
    {
        var graph = Graph.Create("net", Shape.Vector(64)).Then("head/fc", Layers.Dense(10));
        var error = Assert.Throws<GraphException>(() => Initialized(graph, InitializationPlan.Default(Initializers.Standard()).With("head", Initializers.Dirac())))
            .Errors.Single();
        Assert.Equal("head/fc", error.Path);
        Assert.Equal("dense", error.LayerKind);
        Assert.Equal("the override 'head=dirac' cannot initialise this dense layer: dirac needs a spatial kernel with a centre tap; the weight 'weight' [10, 64] has none", error.Message);
        Assert.NotNull(error.Hint);
    }

    [Fact]
    public void Every_impossible_override_is_reported_at_once()
    {
        var graph = Graph.Create("net", Shape.Image(3, 8, 8))
            .Then("even", Layers.Conv(8, 2, padding: Padding.Same))
            .Then("lenet", Layers.Subsampling(2))
            .Then("flatten", Layers.Flatten())
            .Then("fc", Layers.Dense(10));
        var plan = InitializationPlan.Default(Initializers.Dirac())
            .With("even", Initializers.Dirac()).With("lenet", Initializers.Dirac()).With("fc", Initializers.Dirac()).With("missing", Initializers.Dirac());
        var errors = Assert.Throws<GraphException>(() => Initialized(graph, plan)).Errors;
        Assert.Equal(["missing", "even", "lenet", "fc"], errors.Select(e => e.Path));
        Assert.Contains("kernel 2×2", errors[1].Message);
        Assert.Contains("one coefficient per channel", errors[2].Message);
        Assert.Contains("no node is at or under 'missing'", errors[0].Message);
    }
}
