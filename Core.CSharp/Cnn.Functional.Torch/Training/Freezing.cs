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
    /// <remarks>
    /// Thread-safe, so that several threads may evaluate or predict with one module at once (<see cref="Inference.Predict"/>):
    /// the module's mode is shared state, so the first caller to enter switches to evaluation mode and the last to leave
    /// restores the mode the first found. Before, a thread that finished restored training mode while another was still
    /// in its forward pass, which then ran with dropout and updated batch norm's running statistics (found by the
    /// 8-thread prediction test, issue 9). Training the module while another thread evaluates it is not supported.
    /// </remarks>
    public static IDisposable Evaluating(GraphModule module)
    {
        var state = States.GetOrCreateValue(module);
        lock (state)
        {
            if (state.Count++ == 0)
            {
                state.WasTraining = module.training;
                module.eval();
            }
        }
        return new Restore(module, state);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<GraphModule, EvaluationState> States = new();

    private sealed class EvaluationState
    {
        public int Count;
        public bool WasTraining;
    }

    private sealed class Restore(GraphModule module, EvaluationState state) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0) return;
            lock (state)
                if (--state.Count == 0 && state.WasTraining)
                    Train(module);
        }
    }

    /// <summary>The paths of the frozen nodes.</summary>
    public static IReadOnlyList<string> FrozenPaths(GraphModule module) =>
        module.Graph.Nodes.Where(n => !n.Node.Trainable).Select(n => n.Path).ToList();
}
