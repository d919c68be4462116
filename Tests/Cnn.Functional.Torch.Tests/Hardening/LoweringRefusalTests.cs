using Cnn.Functional.Torch;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Hardening;

/// <summary>
/// What lowering and the forward pass refuse, before any tensor is allocated or libtorch is called, with a
/// <see cref="GraphException"/> naming the node and the numbers — each found by graph fuzzing or asked for by issue 9.
/// </summary>
public class LoweringRefusalTests
{
    private static long ResidentBytes() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;

    [Fact]
    public void A_billion_filter_convolution_is_refused_before_allocating_naming_the_node_and_the_numbers()
    {
        var graph = Graph.Create("huge", Shape.Image(3, 28, 28)).Then("stem/conv", Layers.Conv(1_000_000_000, 3));
        Assert.Equal(28_000_000_000L, graph.Infer()["stem/conv"].Info.Parameters); // 10⁹ · 3 · 3 · 3 weights + 10⁹ biases
        var before = ResidentBytes();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<GraphException>(() => GraphModule.Create(graph));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"refusing took {clock.Elapsed}");
        Assert.True(ResidentBytes() - before < 256L << 20, "nothing large was allocated");
        var e = Assert.Single(error.Errors);
        Assert.Equal("stem/conv", e.Path);
        Assert.Equal("conv", e.LayerKind);
        Assert.StartsWith("the graph's 28,000,000,000 parameters and buffers need 112,000,000,000 bytes as float32, more than the limit of ", e.Message);
        Assert.Contains("(MemoryLimits.MaxParameterBytes); the largest node is this one, conv with output [1000000000, 26, 26] and 28,000,000,000 parameters", e.Message);
    }

    [Fact]
    public void A_huge_input_is_refused_by_its_activations_and_the_limit_is_checked_per_batch_before_every_forward()
    {
        var huge = Graph.Create("huge-input", Shape.Image(3, 100_000, 100_000)).Then("relu", Layers.Relu());
        var error = Assert.Throws<GraphException>(() => GraphModule.Create(huge));
        Assert.Equal("input", error.Errors[0].Path);
        Assert.StartsWith("a forward pass of 1 example needs 60,000,000,000 activation values per example, 240,000,000,000 bytes as float32, more than the limit of ", error.Errors[0].Message);

        var small = Graph.Create("small", Shape.Image(1, 8, 8)).Then("conv", Layers.Conv(2, 3)).Then("relu", Layers.Relu());
        // 64 + 72 + 72 = 208 values per example: 10 examples are 8,320 bytes.
        using var module = GraphModule.Create(small, new MemoryLimits(1 << 20, 8_320));
        using var scope = NewDisposeScope();
        Assert.Equal([10L, 2, 6, 6], module.forward(zeros(10, 1, 8, 8)).shape);
        var batch = Assert.Throws<GraphException>(() => module.forward(zeros(11, 1, 8, 8)));
        Assert.Equal("a forward pass of 11 examples needs 208 activation values per example, 9,152 bytes as float32, more than the limit of 8,320 bytes (MemoryLimits.MaxActivationBytes); " +
            "the largest node is this one, conv with output [2, 6, 6] and 72 output values per example", batch.Errors[0].Message);
        Assert.Equal("conv", batch.Errors[0].Path);
    }

    [Fact]
    public void Forward_refuses_a_tensor_of_another_shape_and_a_graph_of_several_inputs()
    {
        using var module = GraphModule.Create(Graph.Create("net", Shape.Image(1, 8, 8)).Then("conv", Layers.Conv(2, 3)));
        using var scope = NewDisposeScope();
        var wrong = Assert.Throws<GraphException>(() => module.forward(zeros(4, 3, 8, 8)));
        Assert.Equal("input: forward got a tensor of shape [4, 3, 8, 8]; the input 'input' takes a batch [N, 1, 8, 8]", wrong.Message);
        Assert.Throws<GraphException>(() => module.forward(zeros(1, 8, 8)));

        var two = Graph.Empty("two").AddNode("a", Layers.Input(Shape.Vector(4))).AddNode("b", Layers.Input(Shape.Vector(4))).AddNode("sum", Layers.Add(), "a", "b");
        using var merged = GraphModule.Create(two);
        var several = Assert.Throws<GraphException>(() => merged.forward(zeros(2, 4)));
        Assert.StartsWith("two: forward feeds one tensor, and graph 'two' has 2 inputs (a [4], b [4])", several.Message);
    }

    // Found by fuzzing: libtorch's CPU convolution backward kills the process (SIGSEGV/SIGFPE) for a stride of 65,536 or more
    // in the last dimension, even on a 1-pixel input. Where the dimension has one output the stride does not matter and is
    // lowered as the smallest that gives one; where it has more, lowering refuses.
    [Fact]
    public void A_stride_past_65535_runs_where_it_gives_one_output_and_is_refused_where_it_gives_more()
    {
        foreach (var (input, stride) in new[] { (Shape.Sequence(2, 1), 65_536), (Shape.Image(2, 1, 3), int.MaxValue), (Shape.Volume(1, 2, 2, 2), 1_000_000_000) })
        {
            var graph = Graph.Create("strided", input).Then("conv", Layers.Conv(3, 1, stride: stride, padding: Padding.Same)).Then("pool", Layers.MaxPool(1, stride));
            using var module = GraphModule.Create(graph);
            using var scope = NewDisposeScope();
            var x = randn([2, .. input.Dims.Items.Select(d => (long)d)], requires_grad: true);
            var y = module.forward(x);
            Assert.Equal([2L, 3, .. input.Spatial.Select(_ => 1L)], y.shape);
            y.square().sum().backward();
            Assert.NotNull(x.grad);
        }

        var two = Graph.Create("two", Shape.Sequence(1, 70_001)).Then("conv", Layers.Conv(1, 1, stride: 70_000));
        Assert.Equal(Shape.Sequence(1, 2), two.Infer().Output);
        var error = Assert.Throws<GraphException>(() => GraphModule.Create(two));
        Assert.Equal("conv: L: stride 70000 over 2 outputs is larger than libtorch runs safely (65535): its CPU convolutions crash the process or hang for strides of 65,536 or more. Hint: use a stride of at most 65535", error.Message);
    }
}
