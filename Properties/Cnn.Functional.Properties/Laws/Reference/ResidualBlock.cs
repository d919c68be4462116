namespace Cnn.Functional.Properties;

/// <summary>
/// A residual block cut out of a graph: y = x + F(x) at an <see cref="Add"/> node, where x (the shortcut) lies on every
/// path from the graph's input to the other input F(x) (the residual branch). The block is a graph of its own, with x
/// as its input node (keeping x's path) and the branch and the addition keeping theirs. <see cref="Zeroed"/> is the last
/// node of the branch with parameters: zeroing them makes F(x) = 0, since every layer after it maps 0 to 0.
/// </summary>
internal sealed record ResidualBlock(Graph Block, string Shortcut, string Zeroed)
{
    /// <summary>The block ending at <paramref name="add"/>, or why there is none (a projection shortcut, a branch without weights, …).</summary>
    public static (ResidualBlock? Block, string Reason) At(Graph graph, string add, bool shortcutIsInput)
    {
        var inferred = graph.Infer();
        var node = inferred[add];
        if (node.Node.Layer is not Add) return (null, $"{add} is not an addition");
        if (node.Node.Inputs.Count != 2) return (null, $"{add} adds {node.Node.Inputs.Count} inputs, not a shortcut and a branch");
        var byPath = inferred.Nodes.ToDictionary(n => n.Path, StringComparer.Ordinal);
        var reason = $"neither input of {add} lies on every path to the other: the shortcut is a projection, not the identity";
        foreach (var (shortcut, branch) in new[] { (node.Node.Inputs[0], node.Node.Inputs[1]), (node.Node.Inputs[1], node.Node.Inputs[0]) })
        {
            if (shortcut == branch) continue;
            var members = new HashSet<string>(StringComparer.Ordinal);
            if (!Collect(branch, shortcut, byPath, members)) continue;
            if (shortcutIsInput && byPath[shortcut].Node.Layer is not Input)
            {
                reason = $"the shortcut {shortcut} is not the graph's input";
                continue;
            }
            var zeroed = LastWeighted(branch, shortcut, byPath, out var why);
            if (zeroed is null) return (null, why);
            var block = Graph.Create($"{graph.Name}-{add}", byPath[shortcut].OutputShape, shortcut);
            foreach (var member in inferred.Nodes.Where(n => members.Contains(n.Path)))
                block = block.AddNode(member.Path, member.Node.Layer, member.Node.Inputs.Items.ToArray());
            block = block.AddNode(add, node.Node.Layer, node.Node.Inputs.Items.ToArray());
            return (new ResidualBlock(block, shortcut, zeroed), "");
        }
        return (null, reason);
    }

    // Every node between the shortcut and the branch's end; false when some path from the branch avoids the shortcut.
    private static bool Collect(string path, string shortcut, Dictionary<string, InferredNode> byPath, HashSet<string> members)
    {
        if (path == shortcut || members.Contains(path)) return true;
        var node = byPath[path];
        if (node.Node.Layer is Input) return false;
        members.Add(path);
        return node.Node.Inputs.All(input => Collect(input, shortcut, byPath, members));
    }

    // Walks back from the branch's end over layers that map 0 to 0 to the first one with weights.
    private static string? LastWeighted(string end, string shortcut, Dictionary<string, InferredNode> byPath, out string why)
    {
        why = "";
        for (var path = end; path != shortcut;)
        {
            var node = byPath[path];
            var layer = node.Node.Layer;
            if (ZeroableByWeights(layer)) return path;
            if (!KeepsZero(layer) || node.Node.Inputs.Count != 1)
            {
                why = $"the residual branch ends in {path} ({layer.Kind}), which has no weights to zero and does not map 0 to 0";
                return null;
            }
            path = node.Node.Inputs[0];
        }
        why = "the residual branch has no weights";
        return null;
    }

    /// <summary>Layers whose output is exactly 0 once all their parameters are 0.</summary>
    private static bool ZeroableByWeights(Layer layer) => layer switch
    {
        Conv or ConvTranspose or SpatiallySeparableConv or DepthwiseSeparableConv or LocallyConnected or DeformableConv or CoordConv or PartialConv or DiracConv
            or BinaryConv or Dense or BinaryDense or Subsampling => true,
        BatchNorm { Affine: true } or LayerNorm { Affine: true } or InstanceNorm { Affine: true } or GroupNorm { Affine: true } => true,
        _ => false,
    };

    /// <summary>Layers without weights to zero that map 0 to 0 (PReLU's slope is not zeroed: it keeps 0 at 0 anyway).</summary>
    private static bool KeepsZero(Layer layer) => layer switch
    {
        Activation a => a.Function is not (ActivationFunction.Sigmoid or ActivationFunction.Softplus),
        Dropout or Pool or LocalResponseNorm => true,
        _ => false,
    };
}
