namespace Cnn.Functional.Torch;

/// <summary>
/// Frozen nodes (<see cref="Node.Trainable"/> false, see <see cref="Graph.Freeze(string)"/>) in a lowered module:
/// their parameters get <c>requires_grad = false</c>, so backward computes no gradient for them and an
/// <see cref="Optimizer"/> keeps no state for them; in training they compute as at inference, so batch norm uses
/// and keeps its running statistics (as Keras does for a non-trainable BatchNormalization, and torchvision's
/// FrozenBatchNorm2d) and dropout passes its input through. A frozen node's weights and buffers stay unchanged.
/// </summary>
public static class Freezing
{
    /// <summary>Sets <c>requires_grad</c> of every node's parameters from the node's Trainable flag (idempotent).</summary>
    public static void Apply(GraphModule module)
    {
        foreach (var node in module.Graph.Nodes)
            foreach (var parameter in module[node.Path].parameters())
                parameter.requires_grad = node.Node.Trainable;
    }

    /// <summary>Puts the module in training mode and its frozen nodes in evaluation mode.</summary>
    public static void Train(GraphModule module)
    {
        module.train();
        foreach (var node in module.Graph.Nodes)
            if (!node.Node.Trainable)
                module[node.Path].eval();
    }

    /// <summary>
    /// Puts the module in evaluation mode (no dropout, running batch-norm statistics, as at test time) until disposed,
    /// then restores training mode — with its frozen nodes in evaluation mode — if it was training.
    /// </summary>
    public static IDisposable Evaluating(GraphModule module)
    {
        var wasTraining = module.training;
        module.eval();
        return new Restore(() => { if (wasTraining) Train(module); });
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    /// <summary>The paths of the frozen nodes.</summary>
    public static IReadOnlyList<string> FrozenPaths(GraphModule module) =>
        module.Graph.Nodes.Where(n => !n.Node.Trainable).Select(n => n.Path).ToList();
}
