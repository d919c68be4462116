namespace Cnn.Functional.Dsl;

/// <summary>
/// The lecture's blueprint for CNNs (after cs231n): <c>INPUT -> [[CONV -> RELU]*N -> POOL?]*M -> [FC -> RELU]*K -> FC</c>,
/// where N ≥ 0 (usually ≤ 3), M ≥ 0, K ≥ 0 (usually &lt; 3) and POOL? is an optional pooling layer.
/// Convolutions follow the lecture's rules of thumb: small filters, stride 1, and zero padding P = (F − 1)/2
/// so that the size is kept and only pooling (F = 2, S = 2) downsamples.
/// </summary>
public static class Blueprint
{
    /// <summary>
    /// Builds the blueprint: M stages of N convolutions (stage i has <paramref name="filters"/>·2ⁱ filters of
    /// size <paramref name="kernel"/>, or the widths in <paramref name="stageFilters"/>) each with ReLU, then a
    /// 2×2 max pool if <paramref name="pool"/>; K hidden fully connected layers with ReLU (<paramref name="hiddenUnits"/>
    /// each, or the widths in <paramref name="hiddenWidths"/>); a final fully connected layer of <paramref name="classes"/>.
    /// Node paths are <c>stage{i}/conv{j}</c>, <c>stage{i}/pool</c>, <c>fc{k}</c> and <c>classifier</c>.
    /// </summary>
    /// <exception cref="GraphException">Negative counts, too few widths, or sizes that do not tile (e.g. an odd size before a pool).</exception>
    public static Graph Create(Shape input, int n, int m, int k, int classes, int filters = 32, int kernel = 3, bool pool = true,
        int hiddenUnits = 128, IEnumerable<int>? stageFilters = null, IEnumerable<int>? hiddenWidths = null, string name = "blueprint")
    {
        var errors = new List<GraphError>();
        if (n < 0 || m < 0 || k < 0) errors.Add(new GraphError(name, "blueprint", $"N, M and K must be ≥ 0; got N = {n}, M = {m}, K = {k}"));
        if (kernel < 1 || kernel % 2 == 0) errors.Add(new GraphError(name, "blueprint", $"the kernel must be odd so that P = (F − 1)/2 keeps the size; got {kernel}"));
        var widths = stageFilters?.ToArray() ?? Enumerable.Range(0, Math.Max(m, 0)).Select(i => filters << Math.Min(i, 20)).ToArray();
        var units = hiddenWidths?.ToArray() ?? Enumerable.Repeat(hiddenUnits, Math.Max(k, 0)).ToArray();
        if (widths.Length < m) errors.Add(new GraphError(name, "blueprint", $"{m} stages need {m} filter counts; got {widths.Length}"));
        if (units.Length < k) errors.Add(new GraphError(name, "blueprint", $"{k} hidden layers need {k} widths; got {units.Length}"));
        if (errors.Count > 0) throw new GraphException(errors);

        var blocks = new List<Block>();
        for (var stage = 1; stage <= m; stage++)
        {
            var convs = Enumerable.Range(1, n).SelectMany(j => new Block[]
            {
                Net.Layer(Layers.Conv(widths[stage - 1], kernel, padding: (kernel - 1) / 2), $"conv{j}"),
                Net.Layer(Layers.Relu(), $"relu{j}"),
            });
            var stageBlocks = pool ? convs.Append(Net.Layer(Layers.MaxPool(2), "pool")) : convs;
            blocks.Add(Net.Scope($"stage{stage}", Net.SequenceOf(stageBlocks)));
        }
        if (!input.IsFlat) blocks.Add(Net.Layer(Layers.Flatten(), "flatten"));
        for (var fc = 1; fc <= k; fc++)
        {
            blocks.Add(Net.Layer(Layers.Dense(units[fc - 1]), $"fc{fc}"));
            blocks.Add(Net.Layer(Layers.Relu(), $"fc{fc}-relu"));
        }
        blocks.Add(Net.Layer(Layers.Dense(classes), "classifier"));
        return Net.SequenceOf(blocks).ToGraph(name, input);
    }

    /// <summary>
    /// The graph written in the lecture's notation, e.g. <c>INPUT -> [CONV -> RELU -> POOL]*2 -> FC -> RELU -> FC</c>
    /// (repetitions expanded; flatten is implied, so it is left out).
    /// </summary>
    public static string Describe(Graph graph) => string.Join(" -> ", graph.Nodes.Select(n => Token(n.Layer)).Where(t => t.Length > 0));

    /// <summary>Expands the lecture's notation: <c>[A -> B]*2</c> becomes <c>A -> B -> A -> B</c>.</summary>
    /// <exception cref="GraphException">Unbalanced brackets or a repetition without a count.</exception>
    public static string Expand(string pattern)
    {
        var position = 0;
        var tokens = ExpandSequence(pattern.Replace(" ", ""), ref position);
        if (position != pattern.Replace(" ", "").Length)
            throw new GraphException(new GraphError("blueprint", "blueprint", $"unbalanced ']' at character {position} of '{pattern}'"));
        return string.Join(" -> ", tokens);
    }

    private static List<string> ExpandSequence(string text, ref int i)
    {
        var tokens = new List<string>();
        while (i < text.Length && text[i] != ']')
        {
            if (text[i] == '[')
            {
                i++;
                var inner = ExpandSequence(text, ref i);
                if (i >= text.Length || text[i] != ']' || i + 1 >= text.Length || text[i + 1] != '*')
                    throw new GraphException(new GraphError("blueprint", "blueprint", $"'[…]' must close and be followed by '*count' in '{text}'"));
                i += 2;
                var start = i;
                while (i < text.Length && char.IsDigit(text[i])) i++;
                if (!int.TryParse(text[start..i], out var count))
                    throw new GraphException(new GraphError("blueprint", "blueprint", $"a repetition needs a count after '*' in '{text}'"));
                for (var r = 0; r < count; r++) tokens.AddRange(inner);
            }
            else
            {
                var start = i;
                while (i < text.Length && char.IsLetter(text[i])) i++;
                if (i == start) throw new GraphException(new GraphError("blueprint", "blueprint", $"unexpected '{text[i]}' in '{text}'"));
                tokens.Add(text[start..i]);
            }
            if (i + 1 < text.Length && text[i] == '-' && text[i + 1] == '>') i += 2;
        }
        return tokens;
    }

    private static string Token(Layer layer) => layer switch
    {
        Input => "INPUT",
        Conv => "CONV",
        Activation { Function: ActivationFunction.Relu } => "RELU",
        Pool => "POOL",
        Dense => "FC",
        Flatten => "",
        _ => layer.Kind.ToUpperInvariant(),
    };
}
