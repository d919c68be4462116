using FsCheck;
using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>
/// A residual block whose residual branch has zeroed weights is the identity: y = x + F(x) with F(x) = 0 (the
/// zero-initialised last layer of Goyal et al. 2017, and why a ResNet can start as a shallower network). The law cuts
/// the block out of the graph at an addition whose one input (the identity shortcut) lies on every path to the other,
/// zeroes every parameter of the branch's last layer with weights (a convolution's, a batch norm's γ and β), and
/// compares the block's output with its input, in evaluation mode. It applies to an addition node of a graph, or to a
/// whole graph whose output is such an addition with the graph's input as the shortcut.
/// </summary>
public sealed class ZeroResidualIdentity : Law
{
    public override string Name => "zero-residual-identity";

    public override string Statement => "x + F(x) = x when the last weighted layer of the residual branch F is zeroed";

    public override string Source => "lecture, ResNet ('y = F(x) + x'; He et al. 2016); Goyal et al. 2017 (zero-initialised residual branches)";

    public override Applicability AppliesTo(Subject subject)
    {
        var (block, reason) = Find(subject);
        return block is null ? Applicability.No(reason) : Applicability.Yes;
    }

    private static (ResidualBlock? Block, string Reason) Find(Subject subject)
    {
        if (subject.ContextPath is { } path)
            return subject.Context.Find(path).Layer is Add ? ResidualBlock.At(subject.Context, path, shortcutIsInput: false) : (null, "it is not an addition");
        var output = subject.Graph.OutputPaths[0];
        return subject.Graph.Find(output).Layer is Add ? ResidualBlock.At(subject.Graph, output, shortcutIsInput: true) : (null, "its output is not an addition");
    }

    public override Gen<Trial> Trials(Subject subject) => TrialGenerators.Cases();

    // A block cut out of a large network runs on a map of at most 8 positions a side when it is valid there (x + F(x) = x
    // does not depend on the size), so a ResNet's blocks check in milliseconds.
    private static Graph Smaller(Graph block)
    {
        var input = block.Nodes[0];
        var shape = ((Input)input.Layer).Shape;
        if (shape.IsFlat || shape.Spatial.All(s => s <= 8)) return block;
        var smaller = block.Replace(input.Path, new Input(Shape.Of([shape.Channels, .. shape.Spatial.Select(s => Math.Min(s, 8))])));
        return smaller.Validate().Count == 0 ? smaller : block;
    }

    public override Outcome Run(Subject subject, Trial trial)
    {
        var (found, reason) = Find(subject);
        if (found is null) return Outcome.Skip(reason);
        var block = subject.Rebased(Smaller(found.Block), null);
        using var instance = block.Create(trial.DType, trial.Seed);
        using (no_grad())
            foreach (var (_, parameter) in instance.Module[found.Zeroed].named_parameters()) parameter.zero_();
        var x = trial.MakeInput(block.InputShape);
        return Outcome.Of(Difference.Of("x + F(x) with F's last weights zero", instance.Forward(x), "x", x, trial.DType),
            $"block {found.Shortcut} → {string.Join(", ", found.Block.Nodes.Skip(1).Select(n => n.Path))}, zeroing {found.Zeroed}");
    }
}
