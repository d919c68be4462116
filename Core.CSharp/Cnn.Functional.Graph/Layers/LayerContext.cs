namespace Cnn.Functional;

/// <summary>
/// What a layer sees while its shapes are inferred: its path, its input shapes, and a place to report
/// problems. Layers report every problem they find and return null, instead of throwing at the first.
/// </summary>
public sealed class LayerContext
{
    private readonly List<GraphError> errors;

    internal LayerContext(string path, string kind, IReadOnlyList<Shape> inputs, IReadOnlyList<string> inputPaths, List<GraphError> errors)
    {
        Path = path;
        Kind = kind;
        Inputs = inputs;
        InputPaths = inputPaths;
        this.errors = errors;
        errorsAtStart = errors.Count;
    }

    private readonly int errorsAtStart;

    public string Path { get; }

    public string Kind { get; }

    public IReadOnlyList<Shape> Inputs { get; }

    /// <summary>The paths of the nodes the inputs come from, in the same order.</summary>
    public IReadOnlyList<string> InputPaths { get; }

    /// <summary>The single input of a one-input layer.</summary>
    public Shape Input => Inputs[0];

    /// <summary>True once this layer has reported a problem.</summary>
    public bool Failed => errors.Count > errorsAtStart;

    /// <remarks>Callers format numbers in messages with the invariant culture (a decimal point, as <see cref="SizeFormulas"/> does), so a message does not depend on the machine.</remarks>
    public void Error(string message, string? hint = null) => errors.Add(new GraphError(Path, Kind, message, hint));

    /// <summary>Reports <paramref name="message"/> unless <paramref name="condition"/> holds; returns the condition.</summary>
    public bool Check(bool condition, string message, string? hint = null)
    {
        if (!condition) Error(message, hint);
        return condition;
    }

    /// <summary>Checks that a count such as filters or units is at least 1.</summary>
    public bool AtLeastOne(int value, string name) =>
        Check(value >= 1, $"{name} must be at least 1; got {value}");

    /// <summary>Checks that a probability-like value lies in [low, high).</summary>
    public bool InRange(double value, double low, double high, string name) =>
        Check(value >= low && value < high && !double.IsNaN(value), FormattableString.Invariant($"{name} must be in [{low}, {high}); got {value}"));

    /// <summary>Checks that a value is finite and positive.</summary>
    public bool Positive(double value, string name) =>
        Check(value > 0 && double.IsFinite(value), FormattableString.Invariant($"{name} must be a positive number; got {value}"));

    /// <summary>Checks that a real hyperparameter is finite and within float32's range, as the tensors it scales are (found by fuzzing: α = 10³⁰⁰).</summary>
    public bool FitsFloat32(double value, string name) =>
        Check(double.IsFinite(value) && Math.Abs(value) <= float.MaxValue,
            FormattableString.Invariant($"{name} must be a finite number within float32's range (±{float.MaxValue:R}); got {value}"));

    /// <summary>
    /// Checks that the input has spatial dimensions (it is not a flat vector) and at most three of them.
    /// </summary>
    public bool RequireSpatial()
    {
        if (Input.IsFlat)
        {
            Error($"expects a [C, L], [C, H, W] or [C, D, H, W] input; got the flat vector {Input}",
                hint: "spatial layers go before Flatten");
            return false;
        }
        return Check(Input.SpatialRank <= 3,
            $"supports 1, 2 or 3 spatial dimensions; the input {Input} has {Input.SpatialRank}");
    }

    /// <summary>Resolves a per-dimension size against the input's spatial rank and checks each entry ≥ <paramref name="minimum"/>.</summary>
    public int[]? Resolve(Size? size, string what, int minimum)
    {
        if (size is null || size.Values.Count == 0)
        {
            Error($"{what} is missing");
            return null;
        }
        var values = size.Resolve(Input.SpatialRank, this, what);
        if (values is null) return null;
        var ok = true;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] >= minimum) continue;
            ok = false;
            Error($"{what} must be at least {minimum}; got {size}");
            break;
        }
        return ok ? values : null;
    }

    /// <summary>Checks that <paramref name="divisor"/> divides <paramref name="value"/>, naming both.</summary>
    public bool Divides(int divisor, int value, string divisorName, string valueName) =>
        Check(divisor >= 1 && value % divisor == 0,
            FormattableString.Invariant($"{divisorName} {divisor} does not divide {valueName} {value} ({value} / {divisor} = {(double)value / divisor:0.###})"));

    /// <summary>The number of values in <paramref name="shape"/>, or null (with an error) when it overflows.</summary>
    public long? Elements(Shape shape) => Product(shape.Dims.Select(d => (long)d).ToArray());

    /// <summary>Adds counts with overflow reported as an error, as <see cref="Product"/> does for products.</summary>
    public long? Sum(params long[] terms)
    {
        try
        {
            long n = 0;
            foreach (var t in terms) n = checked(n + t);
            return n;
        }
        catch (OverflowException)
        {
            Error($"the count {string.Join(" + ", terms)} overflows a 64-bit integer");
            return null;
        }
    }

    /// <summary>Multiplies counts with overflow reported as an error (a 10⁹-channel layer is refused, not wrapped).</summary>
    public long? Product(params long[] factors)
    {
        try
        {
            long n = 1;
            foreach (var f in factors) n = checked(n * f);
            return n;
        }
        catch (OverflowException)
        {
            Error($"the count {string.Join(" · ", factors)} overflows a 64-bit integer");
            return null;
        }
    }
}

/// <summary>What shape inference learns about one node.</summary>
/// <param name="Output">The output shape of one example.</param>
/// <param name="Parameters">Learnable parameters (weights and biases).</param>
/// <param name="Macs">Multiply-accumulates for one example's forward pass.</param>
/// <param name="Buffers">Non-learnable state kept with the weights (batch norm's running statistics).</param>
/// <param name="Map">How output positions relate to input positions, for receptive fields.</param>
public sealed record LayerInfo(Shape Output, long Parameters, long Macs, long Buffers, SpatialMap Map);
