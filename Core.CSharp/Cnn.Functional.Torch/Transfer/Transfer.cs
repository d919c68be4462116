using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// What <see cref="Transfer.LoadWeights(GraphModule, IReadOnlyDictionary{string, Tensor}, TransferOptions?)"/> did, by
/// state-dict name: the tensors copied, those left as initialised because the source has none of that name
/// (<paramref name="Missing"/>) or one of another shape (<paramref name="Mismatched"/>, e.g. a replaced head), and the
/// source's tensors nothing read (<paramref name="Unused"/>, e.g. the old head of a truncated graph).
/// </summary>
public sealed record TransferReport(EquatableArray<string> Loaded, EquatableArray<string> Missing, EquatableArray<string> Mismatched, EquatableArray<string> Unused)
{
    public override string ToString() =>
        $"loaded {Loaded.Count} tensors; kept {Missing.Count} missing and {Mismatched.Count} mismatched as initialised{List(Missing.Concat(Mismatched))}; ignored {Unused.Count} unused{List(Unused)}";

    private static string List(IEnumerable<string> names)
    {
        var all = names.ToList();
        return all.Count == 0 ? "" : " (" + string.Join(", ", all.Take(6)) + (all.Count > 6 ? $", … {all.Count - 6} more" : "") + ")";
    }
}

/// <summary>
/// Which weights a transfer copies: those of the nodes at or under <paramref name="PathPrefixes"/> (all when empty).
/// When <paramref name="Strict"/>, every selected tensor of the target must be found with its shape (PyTorch's
/// <c>load_state_dict(strict=True)</c>); otherwise missing and mismatched ones keep their initial values and are reported.
/// </summary>
public sealed record TransferOptions(EquatableArray<string> PathPrefixes = default, bool Strict = false)
{
    /// <summary>Copies only the nodes at or under these paths, e.g. the trunk "features".</summary>
    public static TransferOptions Only(params string[] pathPrefixes) => new(pathPrefixes.ToEquatableArray());
}

/// <summary>
/// Transfer learning (the lecture's "using a trained CNN &amp; fine-tuning", Yosinski et al. 2014): copy trained weights
/// into a graph's module by path, then freeze what should stay (<see cref="Graph.Freeze(string)"/>), replace the head
/// (<see cref="Graph.Replace"/>, <see cref="Graph.Truncate"/>) and fine-tune with a smaller learning rate
/// (<see cref="TrainingOptions.LearningRateScales"/>). Weights match by state-dict name, which follows the node path
/// (<c>layer1/0/conv1</c> → <c>layer1.0.conv1.weight</c>), so any graph that keeps a node's path and layer receives
/// its weights. Everything is checked before anything is copied.
/// </summary>
/// <example><code>
/// var tuned = trained.Graph.Graph.Replace("fc3", Layers.Dense(5)).Freeze("conv1");
/// using var module = GraphModule.Create(tuned);
/// var report = Transfer.LoadWeights(module, trained);   // fc3 is reported as mismatched and keeps its fresh weights
/// </code></example>
public static class Transfer
{
    /// <summary>Copies <paramref name="source"/>'s weights (parameters and buffers) into <paramref name="target"/> by name.</summary>
    /// <exception cref="ArgumentException">A path prefix selects no node of the target, or (strict) a selected tensor is missing
    /// or has another shape or type; nothing is copied then.</exception>
    public static TransferReport LoadWeights(GraphModule target, IReadOnlyDictionary<string, Tensor> source, TransferOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(source);
        options ??= new TransferOptions();
        var prefixes = options.PathPrefixes.Items.ToArray();
        foreach (var prefix in prefixes)
            if (!target.Graph.Nodes.Any(n => Graph.IsUnder(n.Path, prefix)))
                throw new ArgumentException($"no node of graph '{target.Graph.Graph.Name}' is at or under '{prefix}'", nameof(options));

        var selected = Selected(target, prefixes);
        List<string> loaded = [], missing = [], mismatched = [];
        foreach (var (name, tensor) in selected)
        {
            if (!source.TryGetValue(name, out var from)) missing.Add(name);
            else if (!from.shape.SequenceEqual(tensor.shape) || from.dtype != tensor.dtype)
            {
                if (options.Strict)
                    throw new ArgumentException(
                        $"'{name}' is {from.dtype} [{string.Join(", ", from.shape)}] in the source and {tensor.dtype} [{string.Join(", ", tensor.shape)}] in graph '{target.Graph.Graph.Name}'",
                        nameof(source));
                mismatched.Add(name);
            }
            else loaded.Add(name);
        }
        if (options.Strict && missing.Count > 0)
            throw new ArgumentException($"the source has no '{missing[0]}'" + (missing.Count > 1 ? $" (and {missing.Count - 1} more missing)" : ""), nameof(source));

        using (no_grad())
            foreach (var name in loaded)
                selected[name].copy_(source[name]);
        // Unused: names the target has nowhere (not merely outside the selection).
        var everything = prefixes.Length == 0 ? selected : Selected(target, []);
        var unused = source.Keys.Where(k => !everything.ContainsKey(k)).Order(StringComparer.Ordinal);
        return new TransferReport(loaded.ToEquatableArray(), missing.ToEquatableArray(), mismatched.ToEquatableArray(), unused.ToEquatableArray());
    }

    /// <summary>Copies the weights of another lowered graph (e.g. a trained one) into <paramref name="target"/> by name.</summary>
    public static TransferReport LoadWeights(GraphModule target, GraphModule source, TransferOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        return LoadWeights(target, source.state_dict(), options);
    }

    /// <summary>Copies the weights saved in a training checkpoint (see <see cref="Trainer.SaveCheckpoint(string)"/>) into <paramref name="target"/> by name.</summary>
    /// <exception cref="CheckpointException">The file is missing or damaged.</exception>
    public static TransferReport LoadWeights(GraphModule target, string checkpointPath, TransferOptions? options = null)
    {
        var weights = Checkpoint.ReadWeights(checkpointPath);
        try
        {
            return LoadWeights(target, weights, options);
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
    }

    // The target's parameters and buffers of the selected nodes, by state-dict name.
    private static Dictionary<string, Tensor> Selected(GraphModule target, string[] prefixes)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var node in target.Graph.Nodes)
        {
            if (prefixes.Length > 0 && !prefixes.Any(p => Graph.IsUnder(node.Path, p))) continue;
            var prefix = StateDictLayout.ModuleName(node.Path) + ".";
            foreach (var (name, tensor) in target[node.Path].state_dict()) result[prefix + name] = tensor;
        }
        return result;
    }
}
