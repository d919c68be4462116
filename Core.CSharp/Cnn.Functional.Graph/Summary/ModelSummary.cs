namespace Cnn.Functional;

/// <summary>
/// Assumptions for the memory figures: examples per batch, bytes per value (4 for float32), and how many
/// extra copies of each parameter the optimiser keeps (0 for plain SGD, 1 with momentum — the lecture's
/// "another copy if momentum is used" — 2 for Adam's two moments).
/// </summary>
public sealed record SummaryOptions(int BatchSize = 1, int BytesPerValue = 4, int OptimizerMoments = 1)
{
    public static SummaryOptions Default { get; } = new();
}

/// <summary>One row of the summary.</summary>
/// <param name="Path">The node's path.</param>
/// <param name="Kind">The layer kind.</param>
/// <param name="Inputs">The paths feeding the node.</param>
/// <param name="OutputShape">The shape of one example's output.</param>
/// <param name="Parameters">Learnable parameters (trainable + frozen).</param>
/// <param name="TrainableParameters">Parameters that receive gradients.</param>
/// <param name="FrozenParameters">Parameters of frozen nodes.</param>
/// <param name="Buffers">Non-learnable state (running statistics).</param>
/// <param name="Macs">Multiply-accumulates for one example.</param>
/// <param name="ActivationBytes">The output activations for one batch.</param>
/// <param name="InferenceBytes">Activations alive while this node runs in inference (its inputs, its output and anything still needed later); the largest is the inference peak.</param>
/// <param name="TrainingBytes">What training keeps for this node: its output for backpropagation, its parameters, their gradients and the optimiser's moments, and its buffers.</param>
/// <param name="ReceptiveField">Receptive field and jump in input pixels.</param>
public sealed record NodeSummary(
    string Path,
    string Kind,
    EquatableArray<string> Inputs,
    Shape OutputShape,
    long Parameters,
    long TrainableParameters,
    long FrozenParameters,
    long Buffers,
    long Macs,
    long ActivationBytes,
    long InferenceBytes,
    long TrainingBytes,
    ReceptiveField ReceptiveField);

/// <summary>Totals over the graph. Memory follows the lecture's memory slide: in inference, activations of
/// earlier layers are freed once no later layer needs them; in training, every activation is kept for
/// backpropagation, and each parameter is stored with its gradient and the optimiser's moments.</summary>
public sealed record SummaryTotals(
    long Parameters,
    long TrainableParameters,
    long FrozenParameters,
    long Buffers,
    long Macs,
    long ParameterBytes,
    long ActivationBytes,
    long InferencePeakActivationBytes,
    long InferenceBytes,
    long TrainingBytes);

/// <summary>
/// The summary of a graph: per node the output shape, parameters, MACs, memory and receptive field, and
/// totals — as data for code, notebooks and charts, as a table (<see cref="ToTable"/>) and as JSON
/// (<see cref="ToJson"/>). Computed from shapes alone: no tensor is allocated.
/// </summary>
public sealed record ModelSummary(string Model, EquatableArray<Shape> Inputs, EquatableArray<NodeSummary> Nodes, SummaryTotals Totals, SummaryOptions Options)
{
    /// <summary>Summarises <paramref name="graph"/>.</summary>
    /// <exception cref="GraphException">The graph has errors, or a figure overflows.</exception>
    public static ModelSummary Of(Graph graph, SummaryOptions? options = null) => Of(graph.Infer(), options);

    /// <summary>Summarises an already inferred graph.</summary>
    /// <exception cref="GraphException">A figure overflows 64 bits (or a receptive field a double), or the options are invalid.</exception>
    public static ModelSummary Of(InferredGraph inferred, SummaryOptions? options = null)
    {
        options ??= SummaryOptions.Default;
        var name = inferred.Graph.Name;
        if (options.BatchSize < 1 || options.BytesPerValue < 1 || options.OptimizerMoments < 0)
            throw new GraphException(new GraphError(name, "summary",
                $"summary options need batch size ≥ 1, bytes per value ≥ 1 and optimiser moments ≥ 0; got {options.BatchSize}, {options.BytesPerValue}, {options.OptimizerMoments}"));
        try
        {
            return Build(inferred, options);
        }
        catch (OverflowException)
        {
            throw new GraphException(new GraphError(name, "summary", $"a memory or count figure of '{name}' overflows 64 bits at batch size {options.BatchSize}"));
        }
    }

    private static ModelSummary Build(InferredGraph inferred, SummaryOptions options)
    {
        var nodes = inferred.Nodes;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++) index[nodes[i].Path] = i;

        // Liveness for inference: an activation lives from its node until its last reader (outputs: to the end).
        var lastUse = new int[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            lastUse[i] = i;
            foreach (var input in nodes[i].Node.Inputs) lastUse[index[input]] = i;
        }
        foreach (var output in inferred.Graph.OutputPaths) lastUse[index[output]] = nodes.Count;

        var bytes = (long)options.BytesPerValue;
        var activation = nodes.Select(n => checked(n.OutputShape.Elements * options.BatchSize * bytes)).ToArray();
        var freedAfter = Enumerable.Range(0, nodes.Count + 1).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < nodes.Count; i++) freedAfter[lastUse[i]].Add(i);
        long live = 0;
        var fields = new ReceptiveField[nodes.Count];
        var rows = new NodeSummary[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            var n = nodes[i];
            fields[i] = n.Node.Layer is Input input
                ? (input.Shape.IsFlat ? ReceptiveField.None : ReceptiveField.Pixel(input.Shape.SpatialRank))
                : ReceptiveField.Union(n.Node.Inputs.Select(p => fields[index[p]]))
                    .Through(n.Info.Map, n.InputShapes.Count > 0 ? n.InputShapes[0].Spatial : []);
            // Strides multiply the jump: past 10³⁰⁸ it is ∞ (and then 0·∞ = NaN), which no table or JSON can show.
            if (!fields[i].Size.Concat(fields[i].Jump).All(double.IsFinite))
                throw new GraphException(new GraphError(n.Path, n.Node.Layer.Kind,
                    $"the receptive field overflows a double (the strides up to here multiply to more than 10³⁰⁸): {fields[i]}"));

            live = checked(live + activation[i]);
            var liveHere = live;
            foreach (var j in freedAfter[i]) live -= activation[j];

            var parameters = n.Info.Parameters;
            var trainable = n.Node.Trainable ? parameters : 0;
            // Weights and buffers always; gradients and optimiser moments only for what is trained.
            var state = checked((parameters + n.Info.Buffers + trainable * (1 + options.OptimizerMoments)) * bytes);
            rows[i] = new NodeSummary(n.Path, n.Node.Layer.Kind, n.Node.Inputs, n.OutputShape, parameters, trainable, parameters - trainable,
                n.Info.Buffers, n.Info.Macs, activation[i], liveHere, checked(activation[i] + state), fields[i]);
        }

        var totalParameters = rows.Sum(r => checked(r.Parameters));
        var buffers = rows.Sum(r => r.Buffers);
        var parameterBytes = checked((totalParameters + buffers) * bytes);
        var peak = rows.Length == 0 ? 0 : rows.Max(r => r.InferenceBytes);
        var totals = new SummaryTotals(
            totalParameters,
            rows.Sum(r => r.TrainableParameters),
            rows.Sum(r => r.FrozenParameters),
            buffers,
            rows.Sum(r => checked(r.Macs)),
            parameterBytes,
            activation.Sum(a => checked(a)),
            peak,
            checked(parameterBytes + peak),
            rows.Sum(r => checked(r.TrainingBytes)));
        var inputs = nodes.Where(n => n.Node.Layer is Input).Select(n => n.OutputShape).ToEquatableArray();
        return new ModelSummary(inferred.Graph.Name, inputs, rows.ToEquatableArray(), totals, options);
    }

    /// <summary>The summary as a readable table.</summary>
    public string ToTable() => SummaryTable.Render(this);

    /// <summary>The summary as JSON: <c>{"model", "inputs", "options", "nodes": [...], "totals": {...}}</c>.</summary>
    public string ToJson(bool indented = true) => SummaryJson.Write(this, indented);

    public override string ToString() => ToTable();
}
