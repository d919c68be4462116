using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

public class BlockTests
{
    [Fact]
    public void A_residual_block_adds_the_input_back()
    {
        var block = Net.Scope("block1", Net.Residual(Net.Sequence(Layers.Conv(8, 3, padding: 1), Layers.Relu(), Layers.Conv(8, 3, padding: 1))));
        var graph = block.ToGraph("res", Shape.Image(8, 16, 16));
        var add = graph.Find("block1/add");
        Assert.Equal(["block1/conv2", "input"], add.Inputs);
        // Two 3×3 convolutions of 8 filters on 8 channels: 2 · (8·8·9 + 8) = 1,168
        Assert.Equal(1_168, graph.Summarize().Totals.Parameters);
    }

    [Fact]
    public void A_projection_shortcut_is_scoped_and_fixes_the_channels()
    {
        var body = Net.Sequence(Layers.Conv(16, 3, stride: 2, padding: 1, rounding: Rounding.Floor), Layers.Relu());
        var graph = Net.Residual(body, Layers.Conv(16, 1, stride: 2, rounding: Rounding.Floor)).ToGraph("proj", Shape.Image(8, 16, 16));
        Assert.Equal(Shape.Image(16, 8, 8), graph.Infer()["add"].OutputShape);
        Assert.NotNull(graph.TryFind("shortcut/conv1"));
    }

    [Fact]
    public void A_shortcut_the_caller_scoped_keeps_its_scope()
    {
        // torchvision names a projection shortcut downsample.0 (conv) and downsample.1 (batch norm).
        var downsample = Net.Scope("downsample", Net.Sequence(Net.Layer(Layers.Conv(16, 1), "0"), Net.Layer(Layers.BatchNorm(), "1")));
        var graph = Net.Residual(Layers.Conv(16, 3, padding: 1), downsample).ToGraph("proj", Shape.Image(8, 16, 16));
        Assert.Equal(["conv1", "downsample/1"], graph.Find("add").Inputs);
        Assert.Null(graph.TryFind("shortcut/downsample/0"));
    }

    [Fact]
    public void An_identity_shortcut_with_the_wrong_width_names_the_add_and_suggests_a_projection()
    {
        var error = Assert.Throws<GraphException>(() => Net.Residual(Layers.Conv(16, 3, padding: 1)).ToGraph("bad", Shape.Image(8, 16, 16)));
        Assert.StartsWith("add: cannot add [16, 16, 16] (from conv1) and [8, 16, 16] (from input)", error.Message);
        Assert.Contains("projection shortcut", error.Message);
    }

    [Fact]
    public void An_inception_module_concatenates_its_branches()
    {
        var inception = Net.Concat(
            Layers.Conv(64, 1),
            Net.Sequence(Layers.Conv(96, 1), Layers.Conv(128, 3, padding: 1)),
            Net.Sequence(Layers.Conv(16, 1), Layers.Conv(32, 5, padding: 2)),
            Net.Sequence(Layers.MaxPool(3, stride: 1, padding: 1), Layers.Conv(32, 1)));
        var graph = inception.ToGraph("inception3a", Shape.Image(192, 28, 28));
        // GoogLeNet's inception (3a): 64 + 128 + 32 + 32 = 256 channels.
        Assert.Equal(Shape.Image(256, 28, 28), graph.Infer().Output);
        Assert.NotNull(graph.TryFind("branch2/conv2"));
    }

    [Fact]
    public void Dense_connectivity_feeds_each_layer_everything_before_it()
    {
        var layer = Net.Sequence(Layers.BatchNorm(), Layers.Relu(), Layers.Conv(4, 3, padding: 1));
        var graph = Net.DenseConnect(layer, layer, layer).ToGraph("dense", Shape.Image(8, 8, 8));
        // Growth rate 4: 8 + 3·4 = 20 channels out; layer 3 reads 8 + 4 + 4 = 16.
        Assert.Equal(Shape.Image(20, 8, 8), graph.Infer().Output);
        Assert.Equal(Shape.Image(16, 8, 8), graph.Infer()["concat3"].OutputShape);
    }

    [Fact]
    public void Dense_layers_the_caller_scoped_keep_their_scopes()
    {
        var layers = Enumerable.Range(1, 2).Select(i => Net.Scope($"denselayer{i}", Net.Sequence(Layers.BatchNorm(), Layers.Conv(4, 3, padding: 1))));
        var graph = Net.DenseConnectOf(layers).ToGraph("dense", Shape.Image(8, 8, 8));
        Assert.Equal(["concat2"], graph.Find("denselayer2/batchNorm1").Inputs);
        Assert.Null(graph.TryFind("layer1/denselayer1/conv1"));
        Assert.Equal(Shape.Image(16, 8, 8), graph.Infer().Output);
    }

    [Fact]
    public void A_highway_layer_gates_transform_and_carry()
    {
        var graph = Net.Highway(Net.Sequence(Layers.Dense(50), Layers.Relu()), Net.Sequence(Layers.Dense(50), Layers.Sigmoid()))
            .ToGraph("highway", Shape.Vector(50));
        Assert.Equal(["transform/relu1", "gate/sigmoid1", "input"], graph.Find("highway").Inputs);
        Assert.Equal(2 * (50 * 50 + 50), graph.Summarize().Totals.Parameters);
    }

    [Fact]
    public void Repeat_and_scopes_give_stable_paths()
    {
        var stage = Net.RepeatWith(2, i => Net.Scope($"block{i}", Net.Sequence(Layers.Conv(4, 3, padding: 1), Layers.Relu())));
        var graph = Net.Scope("stage1", stage).ToGraph("s", Shape.Image(4, 8, 8));
        Assert.Equal(["input", "stage1/block1/conv1", "stage1/block1/relu1", "stage1/block2/conv1", "stage1/block2/relu1"], graph.Nodes.Select(n => n.Path));
        Assert.Equal(3, Net.Repeat(3, Layers.Relu()).ToGraph("r", Shape.Vector(3)).Nodes.Count - 1);
    }

    [Fact]
    public void Equal_blocks_are_equal_values()
    {
        Assert.Equal(Net.Residual(Layers.Relu()), Net.Residual(Layers.Relu()));
        Assert.NotEqual(Net.Residual(Layers.Relu()), Net.Residual(Layers.Tanh()));
    }
}

public class RepeatedBlockTests
{
    [Fact]
    public void A_block_with_fixed_names_can_be_repeated_in_one_scope()
    {
        var basic = Net.Sequence(
            Net.Residual(Net.Sequence(Layers.Conv(8, 3, padding: 1), Layers.Relu()), Layers.Conv(8, 1)),
            Layers.Relu());
        var graph = Net.Repeat(2, basic).ToGraph("twice", Shape.Image(8, 8, 8));
        Assert.Equal(["relu1", "shortcut/conv1"], graph.Find("add").Inputs);
        Assert.Equal(["relu3", "shortcut2/conv1"], graph.Find("add2").Inputs);
    }

    [Fact]
    public void The_readme_example_builds()
    {
        var basic = Net.Sequence(
            Net.Residual(Net.Sequence(Layers.Conv(64, 3, padding: 1), Layers.BatchNorm(), Layers.Relu(),
                                      Layers.Conv(64, 3, padding: 1), Layers.BatchNorm())),
            Layers.Relu());
        var net = Net.Scope("stage1", Net.Repeat(2, basic)).ToGraph("resnet-ish", Shape.Image(64, 56, 56));
        Assert.Equal(2 * 2 * (64 * 64 * 9 + 64 + 2 * 64), net.Summarize().Totals.Parameters);
        var fcn = FullyConvolutional.Convert(LeNet.LeNet5(), Shape.Image(1, 56, 56));
        Assert.Equal(Shape.Image(10, 8, 8), fcn.Infer().Output);
    }
}
