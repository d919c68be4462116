using Cnn.Functional.Torch;
using TorchSharp;
using Xunit.Abstractions;
using static Cnn.Functional.Tests.InitializationTests.InitTesting;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.InitializationTests;

/// <summary>
/// Convolutional k-means (Dundar et al., 2015, §3.1) recovers the patterns images are made of: on images of step edges
/// its 3×3 filters are the edge detectors (Prewitt's masks), one per pattern.
/// </summary>
public class ConvKMeansTests(ITestOutputHelper output)
{
    /// <summary>
    /// The 3×3 patterns of the images of <see cref="Edges"/>: Prewitt's masks for a vertical and a horizontal edge, and
    /// a checkerboard (orthogonal to both).
    /// </summary>
    private static readonly Tensor[] Patterns =
    [
        tensor(new double[] { -1, 0, 1, -1, 0, 1, -1, 0, 1 }).reshape(3, 3),
        tensor(new double[] { -1, -1, -1, 0, 0, 0, 1, 1, 1 }).reshape(3, 3),
        tensor(new double[] { 1, -1, 1, -1, 1, -1, 1, -1, 1 }).reshape(3, 3),
    ];

    /// <summary>
    /// <paramref name="count"/> 1×16×16 images, each a vertical or a horizontal step edge at a random place or, with three
    /// kinds, a checkerboard of 1-pixel squares; with random polarity, contrast in [0.5, 1], brightness in [−0.5, 0.5],
    /// and noise of σ = 0.01. A window across a vertical edge is [0 0 1] or [0 1 1] in every row, whose mean is
    /// Prewitt's mask plus a constant; a window of the checkerboard is ± the checkerboard pattern.
    /// </summary>
    internal static Tensor Edges(int count, int kinds, int seed)
    {
        const int size = 16;
        var random = new Random(seed);
        var pixels = new float[count * size * size];
        for (var n = 0; n < count; n++)
        {
            var kind = n % kinds;
            var contrast = (random.Next(2) == 0 ? -1 : 1) * (0.5 + 0.5 * random.NextDouble());
            var offset = random.NextDouble() - 0.5;
            var step = random.Next(3, 13);
            for (var y = 0; y < size; y++)
                for (var x = 0; x < size; x++)
                {
                    var on = kind switch { 0 => x >= step, 1 => y >= step, _ => (x + y) % 2 == 0 };
                    var noise = 0.01 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                    pixels[(n * size + y) * size + x] = (float)(offset + (on ? contrast : 0) + noise);
                }
        }
        return tensor(pixels).reshape(count, 1, size, size);
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public void On_images_of_edges_and_checkerboards_each_learned_filter_is_one_of_their_patterns(int kinds, bool whiten)
    {
        using var images = Edges(120, kinds, seed: 4);
        var graph = Graph.Create("edges", Shape.Image(1, 16, 16)).Then("conv", Layers.Conv(kinds, 3, padding: Padding.Same));
        using var module = Initialized(graph, InitializationPlan.Default(Initializers.ConvKMeans(patches: 4000, whiten: whiten)), seed: 1, images);
        var filters = module.Parameter("conv.weight");
        var matches = new HashSet<int>();
        for (var f = 0; f < kinds; f++)
        {
            var cosines = Patterns.Take(kinds).Select(p => Math.Abs(Cosine(filters[f, 0], p))).ToArray();
            output.WriteLine($"{kinds} kinds, whiten {whiten}: filter {f} |cos| with the patterns = {string.Join(", ", cosines.Select(c => c.ToString("F4")))}");
            var best = Array.IndexOf(cosines, cosines.Max());
            Assert.True(cosines[best] > 0.9, $"filter {f}: |cos| {cosines[best]:F3} with pattern {best}");
            Assert.All(cosines.Where((_, p) => p != best), c => Assert.True(c < 0.1, $"filter {f}: |cos| {c:F3} with another pattern"));
            matches.Add(best);
        }
        Assert.Equal(kinds, matches.Count);
        // Each filter has norm gain = 1; biases are zero.
        Assert.InRange(filters.norm().item<float>() / Math.Sqrt(kinds), 1 - 1e-5, 1 + 1e-5);
        Assert.Equal(0, module.Parameter("conv.bias").count_nonzero().item<long>());
    }

    [Fact]
    public void A_deeper_layer_learns_from_the_activations_of_the_layers_before_it_as_this_plan_initialised_them()
    {
        // conv2's filters in the net equal those learned directly from the ReLU's output after Apply (a graph whose input
        // is that output and whose node has the same path, hence the same generator): had Apply run the layers before conv2
        // with their lowered weights, conv2 would have seen other activations and learned other filters.
        using var images = Edges(40, 3, seed: 5);
        var graph = Graph.Create("two", Shape.Image(1, 16, 16))
            .Then("conv1", Layers.Conv(4, 3, padding: Padding.Same))
            .Then("relu", Layers.Relu())
            .Then("conv2", Layers.Conv(6, 3));
        var plan = InitializationPlan.Default(Initializers.HeNormal()).With("conv2", Initializers.ConvKMeans(patches: 1000, iterations: 5));
        using var module = Initialized(graph, plan, seed: 2, images);
        using var scope = NewDisposeScope();
        Tensor activations;
        using (no_grad()) activations = module.Run(images, ["relu"])["relu"];
        var direct = Graph.Create("direct", Shape.Image(4, 16, 16), inputPath: "activations").Then("conv2", Layers.Conv(6, 3));
        using var learned = Initialized(direct, InitializationPlan.Default(Initializers.ConvKMeans(patches: 1000, iterations: 5)), seed: 2, activations);
        Assert.True(BitEqual(learned.Parameter("conv2.weight"), module.Parameter("conv2.weight")));

        torch.manual_seed(12345);
        using var lowered = GraphModule.Create(graph);
        Tensor loweredActivations;
        using (no_grad()) loweredActivations = lowered.Run(images, ["relu"])["relu"];
        using var other = Initialized(direct, InitializationPlan.Default(Initializers.ConvKMeans(patches: 1000, iterations: 5)), seed: 2, loweredActivations);
        Assert.False(BitEqual(other.Parameter("conv2.weight"), module.Parameter("conv2.weight")));
    }

    [Fact]
    public void A_dense_layer_learns_the_directions_its_input_vectors_cluster_around()
    {
        var prototypes = new[]
        {
            new double[] { 1, 1, 1, 1, -1, -1, -1, -1 },
            new double[] { 1, -1, 1, -1, 1, -1, 1, -1 },
            new double[] { 1, 1, -1, -1, 1, 1, -1, -1 },
        };
        var random = new Random(9);
        var vectors = new float[300 * 8];
        for (var n = 0; n < 300; n++)
        {
            var scale = (random.Next(2) == 0 ? -1 : 1) * (0.5 + random.NextDouble());
            var offset = random.NextDouble();
            for (var i = 0; i < 8; i++) vectors[n * 8 + i] = (float)(offset + scale * prototypes[n % 3][i] + 0.05 * (random.NextDouble() - 0.5));
        }
        using var inputs = tensor(vectors).reshape(300, 8);
        var graph = Graph.Create("flat", Shape.Vector(8)).Then("fc", Layers.Dense(3));
        using var module = Initialized(graph, InitializationPlan.Default(Initializers.ConvKMeans(gain: 2)), seed: 3, inputs);
        var weight = module.Parameter("fc.weight");
        var found = new HashSet<int>();
        for (var u = 0; u < 3; u++)
        {
            var cosines = prototypes.Select(p => Math.Abs(Cosine(weight[u], tensor(p)))).ToArray();
            Assert.True(cosines.Max() > 0.99, $"unit {u}: |cos| {string.Join(", ", cosines.Select(c => c.ToString("F3")))}");
            found.Add(Array.IndexOf(cosines, cosines.Max()));
            Assert.InRange(weight[u].norm().item<float>(), 2 - 1e-5, 2 + 1e-5);
        }
        Assert.Equal(3, found.Count);
    }

    [Fact]
    public void The_same_seed_learns_the_same_filters_bit_for_bit_and_another_seed_others()
    {
        using var images = Edges(60, 3, seed: 6);
        var graph = Graph.Create("edges", Shape.Image(1, 16, 16)).Then("conv", Layers.Conv(4, 3, padding: 1));
        var plan = InitializationPlan.Default(Initializers.ConvKMeans(patches: 2000, iterations: 5));
        using var a = Initialized(graph, plan, seed: 10, images);
        using var b = Initialized(graph, plan, seed: 10, images);
        using var c = Initialized(graph, plan, seed: 11, images);
        Assert.True(BitEqual(a.Parameter("conv.weight"), b.Parameter("conv.weight")));
        Assert.False(BitEqual(a.Parameter("conv.weight"), c.Parameter("conv.weight")));
    }

    [Fact]
    public void Without_sample_images_or_with_images_of_another_shape_it_is_an_error_naming_the_layer()
    {
        var graph = Graph.Create("net", Shape.Image(1, 16, 16)).Then("features/conv", Layers.Conv(4, 3)).Then("flatten", Layers.Flatten());
        var plan = InitializationPlan.Default(Initializers.HeNormal()).With("features", Initializers.ConvKMeans());
        var missing = Assert.Throws<GraphException>(() => Initialized(graph, plan)).Errors.Single();
        Assert.Equal("features/conv", missing.Path);
        Assert.Equal("conv-kmeans learns this layer's filters from sample images: none were given", missing.Message);
        using var wrong = zeros(5, 3, 16, 16);
        var shape = Assert.Throws<GraphException>(() => Initialized(graph, plan, images: wrong)).Errors.Single();
        Assert.Contains("the images are [5, 3, 16, 16], but the graph's input is [1, 16, 16], so they must be [N, 1, 16, 16]", shape.Message);
    }

    [Fact]
    public void An_override_on_a_layer_with_two_weights_is_an_error_and_as_the_default_it_falls_back()
    {
        var graph = Graph.Create("net", Shape.Image(4, 8, 8)).Then("separable", Layers.DepthwiseSeparableConv(8, 3));
        using var images = randn(4, 4, 8, 8);
        var error = Assert.Throws<GraphException>(() =>
            Initialized(graph, InitializationPlan.Default(Initializers.Standard()).With("separable", Initializers.ConvKMeans()), images: images)).Errors.Single();
        Assert.Contains("this layer has 2 weights ('depthwise.weight' [4, 1, 3, 3], 'pointwise.weight' [8, 4, 1, 1])", error.Message);
        torch.manual_seed(1);
        using var module = GraphModule.Create(graph);
        var report = Initialization.Apply(module, InitializationPlan.Default(Initializers.ConvKMeans()), 1, images);
        Assert.Equal(Initializers.Standard(), report.Single().Scheme);
        Assert.StartsWith("the default conv-kmeans cannot initialise this depthwiseSeparableConv layer", report.Single().Note);
    }

    [Fact]
    public void It_leaves_every_submodule_in_the_training_mode_it_was_in()
    {
        var graph = Graph.Create("net", Shape.Image(1, 16, 16))
            .Then("conv1", Layers.Conv(2, 3, padding: 1)).Then("bn", Layers.BatchNorm()).Then("drop", Layers.Dropout())
            .Then("conv2", Layers.Conv(2, 3));
        torch.manual_seed(1);
        using var module = GraphModule.Create(graph);
        module.train();
        module["bn"].eval();
        using var images = Edges(8, 2, seed: 1);
        Initialization.Apply(module, InitializationPlan.Default(Initializers.ConvKMeans(patches: 100)), 1, images);
        Assert.True(module.training);
        Assert.False(module["bn"].training);
        Assert.True(module["drop"].training);
        // Evaluation mode kept batch norm's running statistics as they were.
        Assert.True(BitEqual(zeros(2), module.named_buffers().Single(b => b.name == "bn.running_mean").buffer));
    }
}
