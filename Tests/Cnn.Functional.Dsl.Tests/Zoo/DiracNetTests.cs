using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

public class DiracNetTests
{
    // A Dirac block C → F: F·C·9 weights + 2F (a, b) + 2F (batch norm); stem 64·3·49 + 2·64 = 9,536; fc 512·1000 + 1000.
    private static long Block(long c, long f) => f * c * 9 + 4 * f;

    private static long Group(long c, long f, int count) => Block(c, f) + (count - 1) * Block(f, f);

    [Fact]
    public void DiracNet18_counts_by_hand()
    {
        var groups = new[] { Group(64, 64, 4), Group(64, 128, 4), Group(128, 256, 4), Group(256, 512, 4) };
        Assert.Equal([148_480, 518_144, 2_068_480, 8_265_728], groups);
        Assert.Equal(11_523_368, 9_536 + groups.Sum() + 513_000);
        var graph = DiracNet.DiracNet18();
        Assert.Equal(11_523_368, graph.Summarize().Totals.Parameters);
        Assert.Equal(Shape.Vector(1000), graph.Infer().Output);
    }

    [Fact]
    public void DiracNet34_counts_by_hand()
    {
        var groups = new[] { Group(64, 64, 6), Group(64, 128, 8), Group(128, 256, 12), Group(256, 512, 6) };
        Assert.Equal([222_720, 1_110_016, 6_795_264, 12_988_416], groups);
        Assert.Equal(21_638_952, 9_536 + groups.Sum() + 513_000);
        Assert.Equal(21_638_952, DiracNet.DiracNet34().Summarize().Totals.Parameters);
    }

    [Fact]
    public void The_network_is_plain_and_widens_inside_dirac_convolutions()
    {
        var graph = DiracNet.DiracNet18();
        var inferred = graph.Infer();
        Assert.DoesNotContain(graph.Nodes, n => n.Layer is Add or Concat or HighwayGate);
        Assert.All(graph.Nodes.Skip(1), n => Assert.Single(n.Inputs));
        Assert.Equal(16, graph.Nodes.Count(n => n.Layer is DiracConv));
        // group1/block0 widens 64 → 128 after max_pool1 halved 56 to 28.
        Assert.Equal(["group1/block0/relu"], inferred["group1/block0/conv"].Node.Inputs);
        Assert.Equal(Shape.Image(64, 28, 28), inferred["max_pool1"].OutputShape);
        Assert.Equal(Shape.Image(128, 28, 28), inferred["group1/block0/conv"].OutputShape);
        Assert.Equal(128 * 64 * 9 + 2 * 128, inferred["group1/block0/conv"].Info.Parameters);
        Assert.Equal(Shape.Image(512, 7, 7), inferred["group3/block3/bn"].OutputShape);
        Assert.Equal(["bn"], inferred["max_pool0"].Node.Inputs);
    }
}
