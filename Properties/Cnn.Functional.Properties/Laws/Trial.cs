using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>The α and β of a linear combination αx + βy.</summary>
public sealed record Coefficients(double Alpha, double Beta)
{
    public override string ToString() => FormattableString.Invariant($"α = {Alpha}, β = {Beta}");
}

/// <summary>
/// One generated case of a law for a fixed subject: the dtype the subject is run in, the batch size, the seed of
/// its weights (and of any randomness it draws, such as dropout masks), the input, and, for the laws that need
/// them, a second tensor (the y of linearity and adjointness, the upstream gradient of backpropagation), a
/// transformation and coefficients. Everything is a plain value, so a case prints, replays and shrinks.
/// </summary>
public sealed record Trial(
    ScalarType DType,
    int Batch,
    int Seed,
    InputTensor Input,
    InputTensor? Other = null,
    Transformation? Transformation = null,
    Coefficients? Coefficients = null)
{
    /// <summary>The input batch for a subject input of <paramref name="shape"/>.</summary>
    public Tensor MakeInput(Shape shape) => Input.Make(Dims(shape), DType);

    /// <summary>The second tensor for shape <paramref name="shape"/> (a Gaussian one from the seed when the case has none).</summary>
    public Tensor MakeOther(Shape shape) => (Other ?? new InputTensor(Draw.Gaussian, Seed)).Make(Dims(shape), DType);

    /// <summary>[batch, *shape].</summary>
    public long[] Dims(Shape shape) => [Batch, .. shape.Dims.Items.Select(d => (long)d)];

    public override string ToString()
    {
        var parts = new List<string> { DTypeName(DType), $"batch {Batch}", $"weights seed {Seed}", $"input {Input}" };
        if (Other is not null) parts.Add($"second tensor {Other}");
        if (Transformation is not null) parts.Add(Transformation.ToString());
        if (Coefficients is not null) parts.Add(Coefficients.ToString());
        return string.Join("; ", parts);
    }

    /// <summary>"float32", "float64": the names users know from PyTorch.</summary>
    public static string DTypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Float16 => "float16",
        ScalarType.BFloat16 => "bfloat16",
        _ => dtype.ToString(),
    };
}
