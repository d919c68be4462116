namespace Cnn.Functional.Torch;

/// <summary>
/// The nodes at or under <paramref name="PathPrefix"/> learn with the learning rate times <paramref name="Factor"/>:
/// fine-tuning a transferred trunk slowly (say 0.1) while a new head learns at the full rate. When several prefixes
/// match a node, the longest wins.
/// </summary>
public sealed record LearningRateScale(string PathPrefix, double Factor)
{
    /// <summary>
    /// Sets the scale of each of <paramref name="optimizer"/>'s parameters from the node that owns it.
    /// </summary>
    /// <remarks>The factors are checked by <see cref="TrainingOptions.Check"/> (and again by <see cref="Optimizer.ScaleLearningRate"/>).</remarks>
    /// <exception cref="ArgumentException">A prefix matches no node with trainable parameters.</exception>
    internal static void Apply(IReadOnlyList<LearningRateScale> scales, GraphModule module, Optimizer optimizer)
    {
        if (scales.Count == 0) return;
        // A parameter's state-dict name is its node's module name, then its own name ("layer1.0.conv1.weight").
        var owners = module.Graph.Nodes
            .SelectMany(n => module[n.Path].named_parameters().Select(p => (Name: StateDictLayout.ModuleName(n.Path) + "." + p.name, n.Path)))
            .ToDictionary(p => p.Name, p => p.Path, StringComparer.Ordinal);
        var used = new HashSet<LearningRateScale>();
        foreach (var name in optimizer.ParameterNames)
        {
            var path = owners[name];
            var match = scales.Where(s => Graph.IsUnder(path, s.PathPrefix)).MaxBy(s => s.PathPrefix.Length);
            if (match is null) continue;
            used.Add(match);
            optimizer.ScaleLearningRate(name, match.Factor);
        }
        var unused = scales.FirstOrDefault(s => !used.Contains(s));
        if (unused is not null)
            throw new ArgumentException(
                $"the learning-rate scale for '{unused.PathPrefix}' matches no node with trainable parameters in graph '{module.Graph.Graph.Name}' (frozen nodes have none)",
                nameof(scales));
    }
}
