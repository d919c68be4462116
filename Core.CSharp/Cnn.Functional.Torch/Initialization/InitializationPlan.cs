namespace Cnn.Functional.Torch;

/// <summary>A scheme for the nodes at or under a path prefix of the graph (e.g. <c>features</c> covers <c>features/conv1</c>).</summary>
public sealed record PathScheme(string Prefix, Initializer Scheme)
{
    public override string ToString() => $"{Prefix}={Scheme}";
}

/// <summary>
/// Which scheme initialises which layer: a default for every layer, and overrides for the nodes at or under path
/// prefixes, where the longest matching prefix wins (so <c>features/conv1</c> beats <c>features</c>). Prefixes follow
/// the path hierarchy, as <see cref="Graph.Freeze(string)"/> does: <c>conv1</c> covers <c>conv1/a</c> but not <c>conv10</c>.
/// </summary>
/// <remarks>
/// The default is lenient and an override is strict: when the default scheme cannot apply to a layer
/// (<see cref="Torch.Dirac"/> on a dense layer, <see cref="Torch.DeltaOrthogonal"/> on an even kernel or with fewer outputs than
/// inputs, <see cref="Torch.ConvKMeans"/> on a layer other than a convolution or dense layer), that layer gets
/// <see cref="Torch.Standard"/> instead and <see cref="Initialization.Apply"/> says so in its report; an override that
/// cannot apply to a layer it covers is an error naming the layer and the numbers. The string form
/// (<see cref="Parse"/>, <see cref="ToString"/>) is one line for a command-line flag:
/// <c>he-normal; features/conv1=conv-kmeans(iterations=20); classifier=xavier-uniform</c>.
/// </remarks>
public sealed record InitializationPlan(Initializer DefaultScheme, EquatableArray<PathScheme> Overrides)
{
    /// <summary>A plan that initialises every layer with <paramref name="scheme"/>.</summary>
    public static InitializationPlan Default(Initializer scheme) => new(scheme, EquatableArray<PathScheme>.Empty);

    /// <summary>The lecture's standard initialisation everywhere: the distribution <see cref="GraphModule.Create(Graph, MemoryLimits)"/> already uses.</summary>
    public static InitializationPlan Standard { get; } = Default(new Standard());

    /// <summary>This plan with <paramref name="scheme"/> for the nodes at or under <paramref name="prefix"/> (replacing an override of the same prefix).</summary>
    public InitializationPlan With(string prefix, Initializer scheme)
    {
        var kept = Overrides.Where(o => o.Prefix != prefix);
        return this with { Overrides = kept.Append(new PathScheme(prefix, scheme)).ToEquatableArray() };
    }

    /// <summary>This plan with another default scheme.</summary>
    public InitializationPlan WithDefault(Initializer scheme) => this with { DefaultScheme = scheme };

    /// <summary>The scheme for the node at <paramref name="path"/>: that of the longest prefix covering it, else the default.</summary>
    public Initializer SchemeFor(string path) => OverrideFor(path)?.Scheme ?? DefaultScheme;

    /// <summary>The override that decides <paramref name="path"/>'s scheme, or null when the default does.</summary>
    public PathScheme? OverrideFor(string path) =>
        Overrides.Where(o => Graph.IsUnder(path, o.Prefix)).OrderByDescending(o => o.Prefix.Length).FirstOrDefault();

    /// <summary>
    /// Reads a plan: entries separated by ';', one of them a scheme alone (the default; standard when absent), the
    /// others <c>prefix=scheme</c>, each scheme as <see cref="Initializers.Parse"/> reads it. <c>"he-normal"</c> is a plan.
    /// </summary>
    /// <exception cref="ArgumentException">The text names an unknown scheme (the message lists the valid names), has two defaults or two entries for one prefix, or is malformed.</exception>
    public static InitializationPlan Parse(string text) => InitializerSyntax.Plan(text);

    public override string ToString() =>
        string.Join("; ", Overrides.Select(o => o.ToString()).Prepend(DefaultScheme.ToString()));
}
