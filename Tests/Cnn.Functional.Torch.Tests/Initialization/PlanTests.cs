using Cnn.Functional.Torch;
using TorchSharp;
using static Cnn.Functional.Tests.InitializationTests.InitTesting;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.InitializationTests;

/// <summary>Plans: the longest matching prefix decides a node's scheme, overrides beat the default, and the string form reads and writes them.</summary>
public class PlanTests
{
    private static readonly InitializationPlan Plan = InitializationPlan.Default(Initializers.HeNormal())
        .With("features", Initializers.XavierNormal())
        .With("features/conv1", Initializers.Dirac());

    [Theory]
    [InlineData("features/conv1", "dirac")]
    [InlineData("features/conv1/a", "dirac")]
    [InlineData("features/conv10", "xavier-normal")]
    [InlineData("features/conv2", "xavier-normal")]
    [InlineData("features", "xavier-normal")]
    [InlineData("featuresX", "he-normal")]
    [InlineData("classifier", "he-normal")]
    public void The_longest_prefix_covering_a_path_decides_its_scheme(string path, string scheme) =>
        Assert.Equal(scheme, Plan.SchemeFor(path).Name);

    [Fact]
    public void Per_path_overrides_beat_the_default_when_applied()
    {
        var graph = Graph.Create("net", Shape.Image(4, 8, 8))
            .Then("features/conv1", Layers.Conv(4, 3, padding: 1))
            .Then("features/conv2", Layers.Conv(64, 3, padding: 1))
            .Then("head", Layers.Conv(64, 3, padding: 1));
        torch.manual_seed(1);
        using var module = GraphModule.Create(graph);
        var report = Initialization.Apply(module, Plan, 1);
        Assert.Equal(
            [new InitializedNode("features/conv1", "conv", Initializers.Dirac(), "features/conv1", ""),
             new InitializedNode("features/conv2", "conv", Initializers.XavierNormal(), "features", ""),
             new InitializedNode("head", "conv", Initializers.HeNormal(), "", "")],
            report);
        using var scope = NewDisposeScope();
        var x = randn([2, 4, 8, 8], generator: new Generator(1));
        using (no_grad()) Assert.True(BitEqual(x, module.Run(x, ["features/conv1"])["features/conv1"]));
        VarianceIs(2.0 / (4 * 9 + 64 * 9), module.Parameter("features.conv2.weight"), uniform: false, "features/conv2");
        VarianceIs(2.0 / (64 * 9), module.Parameter("head.weight"), uniform: false, "head");
    }

    [Fact]
    public void With_replaces_the_override_of_the_same_prefix()
    {
        var plan = Plan.With("features", Initializers.Standard());
        Assert.Equal(2, plan.Overrides.Count);
        Assert.Equal(Initializers.Standard(), plan.SchemeFor("features/conv2"));
    }

    [Fact]
    public void The_documented_example_builds_the_documented_string_form()
    {
        // The example of Initializers and the string form in InitializationPlan's remarks.
        var plan = InitializationPlan.Default(Initializers.HeNormal())
            .With("features/conv1", Initializers.ConvKMeans(iterations: 20))
            .With("classifier", Initializers.XavierUniform());
        Assert.Equal("he-normal; features/conv1=conv-kmeans(iterations=20); classifier=xavier-uniform", plan.ToString());
        Assert.Equal(plan, InitializationPlan.Parse(plan.ToString()));
    }

    [Theory]
    [InlineData("standard", typeof(Standard))]
    [InlineData("xavier-uniform", typeof(XavierUniform))]
    [InlineData("xavier-normal", typeof(XavierNormal))]
    [InlineData("he-normal", typeof(HeNormal))]
    [InlineData("he-uniform", typeof(HeUniform))]
    [InlineData("delta-orthogonal", typeof(DeltaOrthogonal))]
    [InlineData("dirac", typeof(Dirac))]
    [InlineData("conv-kmeans", typeof(ConvKMeans))]
    [InlineData(" He-Normal ", typeof(HeNormal))]
    public void Every_name_parses_to_its_scheme_with_default_arguments(string text, Type type)
    {
        var plan = InitializationPlan.Parse(text);
        Assert.IsType(type, plan.DefaultScheme);
        Assert.Equal(Activator.CreateInstance(type, type.GetConstructors()[0].GetParameters().Select(p => p.DefaultValue).ToArray()), plan.DefaultScheme);
        Assert.Empty(plan.Overrides);
    }

    [Fact]
    public void Arguments_and_overrides_parse_and_print_back()
    {
        const string text = "he-normal(mode=fan-out, slope=0.2); features/conv1=conv-kmeans(patches=500, whiten=true, gain=1.5); classifier=xavier-uniform(gain=2)";
        var plan = InitializationPlan.Parse(text);
        var expected = InitializationPlan.Default(Initializers.HeNormal(FanMode.FanOut, 0.2))
            .With("features/conv1", Initializers.ConvKMeans(patches: 500, whiten: true, gain: 1.5))
            .With("classifier", Initializers.XavierUniform(2));
        Assert.Equal(expected, plan);
        Assert.Equal(text, plan.ToString());
        Assert.Equal("standard; head=dirac", InitializationPlan.Parse("head = dirac").ToString());
    }

    [Theory]
    [InlineData("kaiming", "unknown initialisation scheme 'kaiming'; valid schemes: standard, xavier-uniform, xavier-normal, he-normal, he-uniform, delta-orthogonal, dirac, conv-kmeans")]
    [InlineData("", "the plan '' is empty; give a scheme such as he-normal (valid schemes: standard, xavier-uniform, xavier-normal, he-normal, he-uniform, delta-orthogonal, dirac, conv-kmeans)")]
    [InlineData("he-normal(gain=2)", "'he-normal(gain=2)': he-normal takes mode, slope; got 'gain'")]
    [InlineData("dirac(gain=2)", "'dirac(gain=2)': dirac takes no arguments; got 'gain'")]
    [InlineData("xavier-uniform(gain=-1)", "'xavier-uniform(gain=-1)': gain must be a positive finite number; got -1")]
    [InlineData("xavier-uniform(gain=big)", "'xavier-uniform(gain=big)': gain=big is not a number")]
    [InlineData("he-uniform(mode=sideways)", "'he-uniform(mode=sideways)': mode=sideways is not fan-in or fan-out")]
    [InlineData("conv-kmeans(patches=0", "'conv-kmeans(patches=0' opens '(' without closing it; write arguments as conv-kmeans(key=value, …)")]
    [InlineData("conv-kmeans(iterations=0)", "'conv-kmeans(iterations=0)': iterations must be at least 1; got 0")]
    [InlineData("he-normal; dirac", "the plan 'he-normal; dirac' has two default schemes, 'he-normal' and 'dirac'; give one, and the others as prefix=scheme")]
    [InlineData("a=dirac; a=standard", "the plan 'a=dirac; a=standard' gives the prefix 'a' twice")]
    [InlineData("=dirac", "'=dirac' in the plan '=dirac' needs a node path prefix before '=', such as features/conv1=dirac")]
    [InlineData("conv1=glorot", "unknown initialisation scheme 'glorot'; valid schemes: standard, xavier-uniform, xavier-normal, he-normal, he-uniform, delta-orthogonal, dirac, conv-kmeans")]
    public void Bad_text_is_an_argument_error_that_says_what_is_valid(string text, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => InitializationPlan.Parse(text)).Message);

    [Fact]
    public void Invalid_scheme_values_built_in_code_are_reported_by_Apply_before_any_weight_changes()
    {
        var graph = Graph.Create("net", Shape.Vector(4)).Then("fc", Layers.Dense(4));
        var plan = InitializationPlan.Default(new XavierNormal(double.NaN)).With("fc", new HeNormal(NegativeSlope: double.PositiveInfinity));
        var errors = Assert.Throws<GraphException>(() => Initialized(graph, plan)).Errors;
        Assert.Equal(["(default)", "fc"], errors.Select(e => e.Path));
        Assert.Equal("xavier-normal: gain must be a positive finite number; got NaN", errors[0].Message);
        Assert.Equal("he-normal: the negative slope must be finite; got Infinity", errors[1].Message);
    }
}
