using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// The schemes that draw every weight independently with a scale set by the fans: <see cref="Standard"/>,
/// <see cref="XavierUniform"/>, <see cref="XavierNormal"/>, <see cref="HeNormal"/> and <see cref="HeUniform"/>.
/// A uniform scheme's number is the bound r of U[−r, r] (variance r²/3), a normal scheme's the standard deviation.
/// Draws are made on the CPU in the parameter's type, from the generator passed in.
/// </summary>
internal static class FanScaledDraws
{
    public static bool Handles(Initializer scheme) => scheme is Standard or XavierUniform or XavierNormal or HeNormal or HeUniform;

    /// <summary>The bound (uniform) or standard deviation (normal) for a weight with these fans.</summary>
    public static double Scale(Initializer scheme, double fanIn, double fanOut) => scheme switch
    {
        Standard => 1 / Math.Sqrt(fanIn),
        XavierUniform x => x.Gain * Math.Sqrt(6 / (fanIn + fanOut)),
        XavierNormal x => x.Gain * Math.Sqrt(2 / (fanIn + fanOut)),
        HeNormal h => h.Gain / Math.Sqrt(h.Mode == FanMode.FanIn ? fanIn : fanOut),
        HeUniform h => h.Gain * Math.Sqrt(3 / (h.Mode == FanMode.FanIn ? fanIn : fanOut)),
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "not a fan-scaled scheme"),
    };

    public static bool IsUniform(Initializer scheme) => scheme is Standard or XavierUniform or HeUniform;

    /// <summary>A new weight for <paramref name="slot"/>; a packed slot's rows each get the scale of their own fan-in.</summary>
    public static Tensor Weight(Initializer scheme, WeightSlot slot, Generator generator, ScalarType type)
    {
        using var scope = NewDisposeScope();
        var weight = empty(slot.Shape, dtype: type);
        if (slot.RowFanIns is null)
        {
            var scale = Scale(scheme, slot.FanIn, slot.FanOut);
            if (IsUniform(scheme)) weight.uniform_(-scale, scale, generator);
            else weight.normal_(0, scale, generator);
            return weight.MoveToOuterDisposeScope();
        }
        if (IsUniform(scheme)) weight.uniform_(-1, 1, generator);
        else weight.normal_(0, 1, generator);
        var rows = tensor(slot.RowFanIns.Select(n => Scale(scheme, n, slot.FanOut)).ToArray(), dtype: type);
        return (weight * rows.reshape([rows.shape[0], .. Enumerable.Repeat(1L, slot.Shape.Length - 1)])).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The bias of <paramref name="slot"/>: zeros, or for <see cref="Standard"/> U[−1/√n, 1/√n] with n the slot's bias
    /// fan-in (per filter for a packed slot), as the lowering draws it.
    /// </summary>
    public static Tensor Bias(Initializer scheme, WeightSlot slot, long[] shape, Generator generator, ScalarType type)
    {
        if (scheme.ZeroBias) return zeros(shape, dtype: type);
        using var scope = NewDisposeScope();
        var bias = empty(shape, dtype: type);
        if (slot.BiasRowFanIns is null)
        {
            var bound = 1 / Math.Sqrt(slot.BiasFanIn);
            return bias.uniform_(-bound, bound, generator).MoveToOuterDisposeScope();
        }
        bias.uniform_(-1, 1, generator);
        var bounds = tensor(slot.BiasRowFanIns.Select(n => 1 / Math.Sqrt(n)).ToArray(), dtype: type);
        return (bias * bounds).MoveToOuterDisposeScope();
    }
}
