namespace Cnn.Functional;

/// <summary>How a convolution or pooling layer pads its input.</summary>
public enum PaddingKind
{
    /// <summary>A fixed number of zeros on both sides of each spatial dimension.</summary>
    Explicit,

    /// <summary>
    /// Whatever padding keeps the output size at ⌈W/S⌉ (so W at stride 1), split evenly with any odd
    /// remainder at the end, as in TensorFlow's 'SAME' (and PyTorch's <c>padding='same'</c> at stride 1).
    /// </summary>
    Same,
}

/// <summary>
/// Padding of a convolution or pooling layer: explicit amounts (the lecture's P, applied on both sides)
/// or 'same'. An int converts to explicit padding in every dimension.
/// </summary>
public sealed record Padding(PaddingKind Kind, Size Amount)
{
    /// <summary>No padding ('valid').</summary>
    public static Padding Valid { get; } = new(PaddingKind.Explicit, Size.All(0));

    /// <summary>'same' padding: see <see cref="PaddingKind.Same"/>.</summary>
    public static Padding Same { get; } = new(PaddingKind.Same, Size.All(0));

    /// <summary>Explicit padding, one number for all dimensions or one per dimension.</summary>
    public static Padding Of(params int[] amounts) => new(PaddingKind.Explicit, Size.Of(amounts));

    public static implicit operator Padding(int amount) => new(PaddingKind.Explicit, Size.All(amount));

    public override string ToString() => Kind == PaddingKind.Same ? "same" : Amount.ToString();
}

/// <summary>What values the padding holds. Shapes do not depend on it; the layer laws do (circular padding
/// makes a convolution exactly translation-equivariant).</summary>
public enum PaddingMode
{
    Zeros,
    Circular,
    Reflect,
    Replicate,
}

/// <summary>
/// What to do when <c>(W − F + 2P)/S + 1</c> is not an integer. The lecture's rule is that the strides are
/// then wrong ("your neurons cannot tile nicely"), so <see cref="Exact"/> is the default and reports an error;
/// <see cref="Floor"/> is PyTorch's behaviour (the last partial window is dropped) and must be asked for;
/// <see cref="Ceil"/> is PyTorch's <c>ceil_mode</c> for pooling (a last partial window is kept).
/// </summary>
public enum Rounding
{
    Exact,
    Floor,
    Ceil,
}
