using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>How one node was initialised: the scheme used, the plan entry that chose it, and why it differs from the plan's choice, if it does.</summary>
/// <param name="Path">The node's path.</param>
/// <param name="LayerKind">The node's layer kind.</param>
/// <param name="Scheme">The scheme that drew the node's weights.</param>
/// <param name="Prefix">The override prefix that chose the scheme, or "" for the plan's default.</param>
/// <param name="Note">Why <paramref name="Scheme"/> is not the plan's choice (the default could not apply), or "".</param>
public sealed record InitializedNode(string Path, string LayerKind, Initializer Scheme, string Prefix, string Note);

/// <summary>
/// Initialises the weights of a lowered graph in place by an <see cref="InitializationPlan"/>: every node with drawn
/// weights gets new weights and biases from its scheme — convolutions of every kind (each part of a separable one with
/// its own fans; a deformable convolution's main weight, its offsets staying 0; a Dirac convolution's W, α and β staying
/// 1 and 0.1), dense, locally connected, and LeNet's partial convolution and subsampling. Norm layers keep γ = 1 and
/// β = 0, PReLU its slope, a weighted sum its zeros, LeNet's RBF units their fixed prototypes; nodes without weights are
/// skipped. Frozen nodes are initialised too: load pretrained weights after this. Fans: for a weight [F, C/G, *K],
/// n_in = (C/G)·ΠK and n_out = (F/G)·ΠK; dense [U, I]: I and U; transposed convolution [C, F/G, *K]: (F/G)·ΠK and
/// (C/G)·ΠK, the fans of its layout, as PyTorch and Keras compute them (and the n of the lowering's default); locally
/// connected: those of one position; LeNet's partial convolution: each filter's own |row|·ΠK; subsampling: the window.
/// </summary>
/// <remarks>
/// <para>Reproducibility: nothing is drawn from libtorch's global generator. Each node draws from its own
/// <see cref="torch.Generator"/> seeded with a hash of (<c>seed</c>, node path) — SplitMix64 over the path's FNV-1a
/// hash — so on a CPU the same seed gives the same weights bit for bit, a different seed different ones, and a node's
/// weights do not depend on the schemes of the other nodes (except through the activations conv-kmeans learns from).</para>
/// <para>Order: nodes in topological order, so a conv-kmeans layer learns from the activations of layers already
/// initialised by this plan (Dundar et al.'s layer-by-layer learning). Each is computed with
/// <see cref="GraphModule.Run"/> in evaluation mode (no dropout; batch norm with its running statistics, untouched),
/// after which every submodule's training mode is restored.</para>
/// <para>Errors are found before any weight changes and reported together: an invalid scheme argument, an override
/// prefix that matches no node, an override whose scheme cannot apply to a layer it covers, conv-kmeans without sample
/// images or with images of the wrong shape. When the plan's default cannot apply to a layer, that layer gets
/// <see cref="Standard"/> and the returned report says why.</para>
/// </remarks>
public static class Initialization
{
    /// <summary>
    /// Initialises <paramref name="module"/> by <paramref name="plan"/> from <paramref name="seed"/>, and returns what
    /// each node with weights got. <paramref name="sampleImages"/> [N, *input shape] are needed only by
    /// <see cref="ConvKMeans"/>.
    /// </summary>
    /// <exception cref="GraphException">Every problem of the plan with this graph (see remarks), each naming the path and the numbers.</exception>
    public static IReadOnlyList<InitializedNode> Apply(GraphModule module, InitializationPlan plan, long seed, Tensor? sampleImages = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(plan);
        var decisions = Decide(module, plan, sampleImages);
        foreach (var decision in decisions) Initialize(module, decision, seed, sampleImages);
        return decisions.Select(d => d.Report).ToList();
    }

    /// <summary>The seed of the generator of the node at <paramref name="path"/>: SplitMix64 of the seed mixed with the path's FNV-1a hash.</summary>
    internal static ulong NodeSeed(long seed, string path)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(path)) hash = (hash ^ b) * 1099511628211UL;
        return SplitMix64(unchecked((ulong)seed) ^ SplitMix64(hash));
    }

    private sealed record Decision(InferredNode Node, IReadOnlyList<WeightSlot> Slots, Initializer Scheme, InitializedNode Report);

    private static List<Decision> Decide(GraphModule module, InitializationPlan plan, Tensor? images)
    {
        var graph = module.Graph;
        var errors = new List<GraphError>();
        var schemes = plan.Overrides.Select(o => (Where: o.Prefix, o.Scheme)).Prepend((Where: "(default)", Scheme: plan.DefaultScheme));
        foreach (var (where, scheme) in schemes)
            foreach (var problem in scheme.Problems())
                errors.Add(new GraphError(where, "initialization", $"{scheme.Name}: {problem}"));
        foreach (var o in plan.Overrides.Where(o => !graph.Nodes.Any(n => Cnn.Functional.Graph.IsUnder(n.Path, o.Prefix))))
            errors.Add(new GraphError(o.Prefix, "initialization", $"the plan's override '{o}' matches no node: no node is at or under '{o.Prefix}' in graph '{graph.Graph.Name}'",
                "prefixes follow the path hierarchy: 'features' covers 'features/conv1'"));

        var decisions = new List<Decision>();
        foreach (var node in graph.Nodes)
        {
            var shapes = module[node.Path].named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
            var slots = WeightSlots.Of(node, shapes);
            if (slots.Count == 0) continue;
            var chosen = plan.OverrideFor(node.Path);
            var scheme = chosen?.Scheme ?? plan.DefaultScheme;
            var kind = node.Node.Layer.Kind;
            var note = "";
            if (Problem(scheme, slots) is { } problem)
            {
                if (chosen is not null)
                {
                    errors.Add(new GraphError(node.Path, kind, $"the override '{chosen}' cannot initialise this {kind} layer: {problem}",
                        "give this layer another scheme with a longer prefix, or narrow the override"));
                    continue;
                }
                note = $"the default {scheme} cannot initialise this {kind} layer ({problem}); standard used instead";
                scheme = new Standard();
            }
            if (scheme is ConvKMeans && SampleProblem(graph, images) is { } missing)
                errors.Add(new GraphError(node.Path, kind, $"conv-kmeans learns this layer's filters from sample images: {missing}", "pass sampleImages [N, *input shape] to Initialization.Apply"));
            decisions.Add(new Decision(node, slots, scheme, new InitializedNode(node.Path, kind, scheme, chosen?.Prefix ?? "", note)));
        }
        if (errors.Count > 0) throw new GraphException(errors);
        return decisions;
    }

    /// <summary>Why <paramref name="scheme"/> cannot initialise a node with these weights, or null.</summary>
    private static string? Problem(Initializer scheme, IReadOnlyList<WeightSlot> slots) => scheme switch
    {
        ConvKMeans => ConvKMeansFilters.Problem(slots),
        Dirac or DeltaOrthogonal => slots.Select(s => CentreTapKernels.Problem(scheme, s)).FirstOrDefault(p => p is not null),
        _ => null,
    };

    private static string? SampleProblem(InferredGraph graph, Tensor? images)
    {
        if (images is null) return "none were given";
        var input = graph.Nodes.First(n => n.Node.Layer is Input).OutputShape;
        long[] expected = input.Dims.Items.Select(d => (long)d).ToArray();
        if (images.dim() != expected.Length + 1 || !images.shape[1..].SequenceEqual(expected) || images.shape[0] < 1)
            return $"the images are [{string.Join(", ", images.shape)}], but the graph's input is {input}, so they must be [N, {string.Join(", ", expected)}] with N ≥ 1";
        return null;
    }

    private static void Initialize(GraphModule module, Decision decision, long seed, Tensor? images)
    {
        var path = decision.Node.Path;
        var parameters = module[path].named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var generator = new Generator(NodeSeed(seed, path));
        using var scope = NewDisposeScope();
        foreach (var slot in decision.Slots)
        {
            var weight = parameters[slot.Weight];
            var value = decision.Scheme switch
            {
                ConvKMeans k => LearnFilters(module, decision.Node, k, slot, images!, generator),
                Dirac => CentreTapKernels.Dirac(slot),
                DeltaOrthogonal d => CentreTapKernels.DeltaOrthogonal(slot, d.Gain, generator),
                var scheme => FanScaledDraws.Weight(scheme, slot, generator, weight.dtype),
            };
            using (no_grad()) weight.copy_(value);
            if (slot.Bias is null) continue;
            var bias = parameters[slot.Bias];
            using (no_grad()) bias.copy_(FanScaledDraws.Bias(decision.Scheme, slot, bias.shape, generator, bias.dtype));
        }
    }

    private static Tensor LearnFilters(GraphModule module, InferredNode node, ConvKMeans scheme, WeightSlot slot, Tensor images, Generator generator)
    {
        var source = node.Node.Inputs[0];
        // The root first, then its descendants (TorchSharp's modules() lists them parents first, without the root), so
        // that restoring a parent's mode, which sets its children's too, is undone for each child after it.
        var modes = module.modules().Prepend(module).Select(m => (Module: m, m.training)).ToList();
        IReadOnlyDictionary<string, Tensor>? outputs = null;
        try
        {
            module.eval();
            using (no_grad()) outputs = module.Run(images, [source]);
            return ConvKMeansFilters.Learn(scheme, slot, outputs[source], generator);
        }
        finally
        {
            if (outputs is not null)
                foreach (var output in outputs.Values) output.Dispose();
            foreach (var (m, training) in modes) m.train(training);
        }
    }

    // Steele, Lea & Flood (2014): a small mixer whose output is fixed by its input on every platform.
    private static ulong SplitMix64(ulong state)
    {
        var z = state + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
