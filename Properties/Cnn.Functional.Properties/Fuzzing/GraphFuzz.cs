using Cnn.Functional.Torch;
using FsCheck;
using FsCheck.Fluent;
using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>What happened to one fuzzed graph.</summary>
public enum FuzzVerdict
{
    /// <summary>Shape inference refused it with a <see cref="GraphException"/>.</summary>
    RejectedAtInference,

    /// <summary>Lowering refused it with a <see cref="GraphException"/> (memory limits, a path that is both node and scope).</summary>
    RejectedAtLowering,

    /// <summary>The forward pass refused its batch with a <see cref="GraphException"/> (the activation limit) before running.</summary>
    RejectedAtForward,

    /// <summary>It lowered, ran forward with exactly the inferred shape at every node, and backward.</summary>
    Ran,

    /// <summary>A library bug: another exception type, a shape other than the inferred one, or a missing gradient.</summary>
    Bug,
}

/// <summary>One graph's outcome: the verdict, for rejections the kind of reason, for bugs the stage and the error.</summary>
public sealed record FuzzOutcome(FuzzVerdict Verdict, string Reason, string? Stage = null, string? Detail = null);

/// <summary>A graph that exposed a bug, with the seed that regenerates it (<see cref="GraphFuzz.Generate"/>).</summary>
public sealed record FuzzBug(int Index, ulong Seed, string Stage, string Detail, string Graph)
{
    public override string ToString() => $"graph {Index} (seed {Seed}), {Stage}: {Detail}{Environment.NewLine}  {Graph}";
}

/// <summary>Counts of a fuzzing run.</summary>
public sealed record FuzzReport(int Generated, int Ran, int Nodes, IReadOnlyDictionary<string, int> Rejected, IReadOnlyList<FuzzBug> Bugs, TimeSpan Elapsed)
{
    public int RejectedTotal => Rejected.Values.Sum();

    public override string ToString() =>
        $"generated {Generated} graphs ({Nodes} nodes), ran {Ran}, rejected {RejectedTotal}, bugs {Bugs.Count}, in {Elapsed.TotalSeconds:0.0} s" + Environment.NewLine +
        string.Join(Environment.NewLine, Rejected.OrderByDescending(kv => kv.Value).Select(kv => $"  rejected, {kv.Key}: {kv.Value}")) +
        (Bugs.Count == 0 ? "" : Environment.NewLine + string.Join(Environment.NewLine, Bugs.Take(20).Select(b => "  BUG " + b)));
}

/// <summary>
/// Graph fuzzing: random graphs — random layers of every kind with plausible and hostile hyperparameters, merges
/// (add, concatenation, highway, weighted sums) of random earlier nodes, valid graphs with one layer replaced by a random
/// one, absurdly large layers and inputs, random input sizes — go through build → infer → lower → forward → backward.
/// Each must either be refused with a <see cref="GraphException"/> (by inference, or by lowering's
/// <see cref="MemoryLimits"/> before any tensor is allocated) or run with exactly the inferred shape at every node and
/// give every trainable parameter a gradient. Any other exception, shape or missing gradient is a <see cref="FuzzVerdict.Bug"/>.
/// </summary>
public static class GraphFuzz
{
    /// <summary>The examples per forward pass.</summary>
    public const int Batch = 2;

    /// <summary>Small limits, so that a fuzzed graph never takes long to run: 16 MiB of parameters, 32 MiB of activations.</summary>
    public static MemoryLimits Limits { get; } = new(16L << 20, 32L << 20);

    /// <summary>The graph of number <paramref name="index"/> of a run with <paramref name="seed"/>: each graph has its own seed, so one can be replayed alone.</summary>
    public static (Graph Graph, ulong Seed) Generate(int seed, int index)
    {
        var graphSeed = unchecked((ulong)seed * 1_000_003UL + (ulong)index);
        return (FsCheck.FSharp.Gen.Sample(new Rnd(graphSeed), 10, 1, Graphs())[0], graphSeed);
    }

    /// <summary>
    /// The mixture: random chains and DAGs of plausible and hostile layers over small random inputs; valid graphs
    /// (<see cref="ValidGraphGenerators"/>: every layer kind, residual, Inception, highway and weighted-sum blocks); valid
    /// graphs with one node's layer replaced by a random layer; valid graphs made absurd (10⁹ filters or units, a huge input);
    /// and <see cref="GraphGenerators.Hostile"/>'s extreme chains and 64-bit count boundaries.
    /// </summary>
    public static Gen<Graph> Graphs()
    {
        var mostlyPlausible = Gen.Frequency((5, LayerGenerators.Plausible()), (1, LayerGenerators.Hostile()));
        var inputs = Gen.Frequency((8, ShapeGenerators.Input()), (1, LayerGenerators.HostileShape(LayerGenerators.PlausibleInt())));
        return Gen.Frequency(
            (6, GraphGenerators.Random(mostlyPlausible, inputs)),
            (6, ValidGraphGenerators.Any().Select(v => v.Graph)),
            (4, Mutated(mostlyPlausible)),
            (2, Absurd()),
            (1, GraphGenerators.Hostile()));
    }

    // A valid graph with the layer of one non-input node replaced: invalid parameters deep inside a graph that otherwise works.
    private static Gen<Graph> Mutated(Gen<Layer> layers) =>
        from valid in ValidGraphGenerators.Any()
        from at in Gen.Choose(1, Math.Max(1, valid.Graph.Nodes.Count - 1))
        from layer in layers
        select at < valid.Graph.Nodes.Count && layer.Arity == valid.Graph.Nodes[at].Layer.Arity
            ? valid.Graph with { Nodes = valid.Graph.Nodes.SetItem(at, valid.Graph.Nodes[at] with { Layer = layer }) }
            : valid.Graph;

    // A valid graph with a layer of absurd size inserted after one node, or a huge input: must be refused before allocating.
    private static Gen<Graph> Absurd()
    {
        var huge = Gen.Elements(1_000_000_000, int.MaxValue, 100_000, 46_341);
        var layer = Gen.OneOf(
            from f in huge from k in Gen.Choose(1, 3) select Layers.Conv(f, k, padding: Padding.Same),
            from f in huge select Layers.ConvTranspose(f, 1),
            from f in huge select Layers.LocallyConnected(f, 1),
            from u in huge select Layers.Dense(u),
            from o in huge select Layers.AdaptiveAvgPool(o),
            from s in Gen.Choose(2, 4) from k in huge select Layers.ConvTranspose(1, Math.Min(k, 100_000), s));
        var hugeInput = from c in Gen.Elements(1, 3, 1_000_000) from e in huge select Graph.Create("absurd", Shape.Image(c, e, e)).Then("relu", Layers.Relu());
        return Gen.Frequency(
            (3, from valid in ValidGraphGenerators.Chain(4) from l in layer select valid.Graph.Then("absurd", l)),
            (1, hugeInput));
    }

    /// <summary>
    /// Fuzzes graphs <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1 of <paramref name="seed"/>;
    /// <paramref name="progress"/> hears about every graph before it runs.
    /// </summary>
    public static FuzzReport Run(int count, int seed, Action<int, ulong>? progress = null, int first = 0)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var rejected = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var bugs = new List<FuzzBug>();
        int ran = 0, nodes = 0;
        for (var i = first; i < first + count; i++)
        {
            var (graph, graphSeed) = Generate(seed, i);
            progress?.Invoke(i, graphSeed);
            nodes += graph.Nodes.Count;
            manual_seed((long)(graphSeed % int.MaxValue));
            var outcome = Check(graph);
            switch (outcome.Verdict)
            {
                case FuzzVerdict.Ran:
                    ran++;
                    break;
                case FuzzVerdict.Bug:
                    bugs.Add(new FuzzBug(i, graphSeed, outcome.Stage!, outcome.Detail!, Describe(graph)));
                    break;
                default:
                    var key = $"{Stage(outcome.Verdict)}: {outcome.Reason}";
                    rejected[key] = rejected.GetValueOrDefault(key) + 1;
                    break;
            }
        }
        return new FuzzReport(count, ran, nodes, rejected, bugs, clock.Elapsed);
    }

    /// <summary>Builds, infers, lowers, runs forward (batch <see cref="Batch"/>) and backward one graph.</summary>
    public static FuzzOutcome Check(Graph graph)
    {
        InferredGraph inferred;
        try
        {
            inferred = graph.Infer();
        }
        catch (GraphException e)
        {
            return new FuzzOutcome(FuzzVerdict.RejectedAtInference, ReasonKind(e));
        }
        catch (Exception e)
        {
            return Bug("inference", e);
        }

        GraphModule module;
        try
        {
            module = GraphModule.Create(inferred, Limits);
        }
        catch (GraphException e)
        {
            return new FuzzOutcome(FuzzVerdict.RejectedAtLowering, ReasonKind(e));
        }
        catch (Exception e)
        {
            return Bug("lowering", e);
        }

        using (module)
        using (var scope = NewDisposeScope())
        {
            var stage = "forward";
            try
            {
                var paths = inferred.Nodes.Select(n => n.Path).ToArray();
                // The first input's shape: a graph of several inputs must be refused by forward, not run.
                var input = inferred.Nodes.First(n => n.Node.Layer is Input);
                var x = randn([Batch, .. input.OutputShape.Dims.Items.Select(d => (long)d)]);
                IReadOnlyDictionary<string, Tensor> outputs;
                try
                {
                    outputs = module.Run(x, paths);
                }
                catch (GraphException e) when (e.Errors.Count == 1 && e.Errors[0].LayerKind is "graph" or "input" || e.Message.Contains("MemoryLimits", StringComparison.Ordinal))
                {
                    return new FuzzOutcome(FuzzVerdict.RejectedAtForward, ReasonKind(e));
                }
                foreach (var node in inferred.Nodes)
                {
                    long[] expected = [Batch, .. node.OutputShape.Dims.Items.Select(d => (long)d)];
                    var actual = outputs[node.Path].shape;
                    if (!expected.SequenceEqual(actual))
                        return new FuzzOutcome(FuzzVerdict.Bug, "", "shapes",
                            $"{node.Path} ({node.Node.Layer.Kind}): inferred [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
                }

                stage = "backward";
                var terms = outputs.Where(o => o.Key != input.Path && o.Value.is_floating_point()).Select(o => o.Value.square().mean()).ToList();
                if (terms.Count == 0 || !terms.Any(t => t.requires_grad)) return new FuzzOutcome(FuzzVerdict.Ran, "");
                var loss = terms.Aggregate((a, b) => a + b);
                loss.backward();
                foreach (var (name, parameter) in module.named_parameters().Where(p => p.parameter.requires_grad))
                    if (parameter.grad is null)
                        return new FuzzOutcome(FuzzVerdict.Bug, "", "backward", $"{name} got no gradient");
                return new FuzzOutcome(FuzzVerdict.Ran, "");
            }
            catch (Exception e)
            {
                return Bug(stage, e);
            }
        }
    }

    private static FuzzOutcome Bug(string stage, Exception e) =>
        new(FuzzVerdict.Bug, "", stage, $"{e.GetType().Name}: {e.Message.Split('\n')[0]}{Environment.NewLine}{e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("Cnn.Functional", StringComparison.Ordinal))?.Trim()}");

    private static string Stage(FuzzVerdict verdict) => verdict switch
    {
        FuzzVerdict.RejectedAtInference => "inference",
        FuzzVerdict.RejectedAtLowering => "lowering",
        _ => "forward",
    };

    /// <summary>A coarse kind of the first reason a graph was refused, for the report.</summary>
    public static string ReasonKind(GraphException e)
    {
        var message = e.Errors.Count > 0 ? e.Errors[0].Message : e.Message;
        var rules = new (string Kind, string[] Words)[]
        {
            ("memory limit", ["MemoryLimits"]),
            ("several inputs for one tensor", ["forward feeds one tensor"]),
            ("size with the wrong number of dimensions", ["names 1 dimension", "names 2 dimensions", "names 3 dimensions", "names 4 dimensions", "names 0 dimensions"]),
            ("invalid input shape", ["an input is"]),
            ("connection table", ["reads input channel", "connection"]),
            ("count or size overflow", ["overflow", "too large", "larger than the largest", "too many", "2⁶³"]),
            ("stride libtorch cannot run", ["larger than libtorch runs safely"]),
            ("graph structure (paths, inputs, arity, nulls)", ["path", "is not an earlier node", "takes ", "no layer", "null", "no nodes", "not a node", "own input", "scope"]),
            ("merge of mismatched shapes", ["cannot concatenate", "cannot add", "cannot gate", "cannot sum"]),
            ("window larger than the input, or no output", ["larger than the padded input", "more than half the window", "is not a valid size"]),
            ("stride does not tile", ["is not an integer"]),
            ("groups or channels do not divide", ["does not divide"]),
            ("wrong input rank", ["expects", "supports", "spatial dimensions", "a flat", "the flat", "rank", "is defined for"]),
            ("hyperparameter out of range or undefined", ["must be", "is missing", "not a defined", "undefined", "unknown", "values for", "applies to"]),
        };
        foreach (var (kind, words) in rules)
            if (words.Any(w => message.Contains(w, StringComparison.OrdinalIgnoreCase))) return kind;
        return "other: " + (message.Length > 60 ? message[..60] + "…" : message);
    }

    private static string Describe(Graph graph)
    {
        try
        {
            return graph.ToJson().ReplaceLineEndings(" ");
        }
        catch (GraphException)
        {
            return graph.ToString();
        }
    }
}
