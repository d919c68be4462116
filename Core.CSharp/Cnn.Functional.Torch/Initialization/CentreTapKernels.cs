using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// Kernels that are zero except at the centre tap, where each group (and each bank of an unshared convolution) holds a
/// matrix M of F/G rows (outputs) and C/G columns (inputs): <see cref="Dirac"/> (M = I, as <c>dirac_</c>) and
/// <see cref="DeltaOrthogonal"/> (M = gain·H, HᵀH = I, Xiao et al. 2018, Algorithm 2). A convolution with such a
/// kernel is, at every position, the matrix M applied to the channel vector. A transposed convolution's weight
/// [C, F/G, *K] holds Mᵀ, so it too maps input channel vectors by M.
/// </summary>
internal static class CentreTapKernels
{
    /// <summary>Why <paramref name="scheme"/> (Dirac or DeltaOrthogonal) cannot build <paramref name="slot"/>'s weight, or null.</summary>
    public static string? Problem(Initializer scheme, WeightSlot slot)
    {
        if (slot.Layout is SlotLayout.Packed or SlotLayout.Scale)
            return $"{scheme.Name} needs a filter bank [F, C/G, *K]; the weight '{slot.Weight}' {slot.ShapeText} is {(slot.Layout == SlotLayout.Packed ? "packed by connection" : "one coefficient per channel")}";
        var kernel = slot.Kernel;
        if (scheme is Dirac && kernel.Length == 0)
            return $"dirac needs a spatial kernel with a centre tap; the weight '{slot.Weight}' {slot.ShapeText} has none";
        if (kernel.Any(k => k % 2 == 0))
            return $"{scheme.Name} needs an odd kernel to have a centre tap; the weight '{slot.Weight}' {slot.ShapeText} has kernel {string.Join("×", kernel)}";
        if (scheme is DeltaOrthogonal && slot.OutPerGroup < slot.InPerGroup)
            return $"delta-orthogonal needs at least as many outputs as inputs{PerGroup(slot)} for an orthogonal centre (HᵀH = I): " +
                   $"the weight '{slot.Weight}' {slot.ShapeText} maps {slot.InPerGroup} inputs to {slot.OutPerGroup} outputs{PerGroup(slot)}";
        return null;
    }

    /// <summary>The kernel of <paramref name="slot"/> with <paramref name="centre"/>(bank, group) at the centre tap, float64.</summary>
    public static Tensor Build(WeightSlot slot, Func<long, long, Tensor> centre)
    {
        using var scope = NewDisposeScope();
        var kernel = slot.Kernel;
        var taps = kernel.Product();
        // Row-major index of the tap (K₀/2, K₁/2, …).
        var middle = 0L;
        foreach (var k in kernel) middle = middle * k + k / 2;
        var (outG, inG) = (slot.OutPerGroup, slot.InPerGroup);
        var groups = Enumerable.Range(0, (int)slot.Groups).Select(g => (long)g);
        Tensor weight;
        if (slot.Layout == SlotLayout.OutIn)
        {
            var banks = slot.BankCount;
            weight = zeros([banks, slot.Groups * outG, inG, taps], dtype: ScalarType.Float64);
            var centres = Enumerable.Range(0, (int)banks).Select(b => cat(groups.Select(g => centre(b, g)).ToArray(), 0)).ToArray();
            weight.select(3, middle).copy_(stack(centres));
        }
        else
        {
            weight = zeros([slot.Groups * inG, outG, taps], dtype: ScalarType.Float64);
            weight.select(2, middle).copy_(cat(groups.Select(g => centre(0, g).t()).ToArray(), 0));
        }
        return weight.reshape(slot.Shape).MoveToOuterDisposeScope();
    }

    /// <summary>The identity of <c>dirac_</c>: M = I (F/G × C/G, ones on the diagonal of the smaller side).</summary>
    public static Tensor Dirac(WeightSlot slot) => Build(slot, (_, _) => eye(slot.OutPerGroup, slot.InPerGroup, dtype: ScalarType.Float64));

    /// <summary>
    /// Xiao et al.'s delta-orthogonal kernel: M = gain·H per bank and group, H the Q of the QR decomposition of an
    /// F/G × C/G standard Gaussian matrix with each column's sign multiplied by that of R's diagonal (so H is
    /// distributed uniformly over matrices with orthonormal columns, Mezzadri 2007), drawn from <paramref name="generator"/>.
    /// </summary>
    public static Tensor DeltaOrthogonal(WeightSlot slot, double gain, Generator generator) => Build(slot, (_, _) =>
    {
        using var scope = NewDisposeScope();
        var gaussian = randn([slot.OutPerGroup, slot.InPerGroup], dtype: ScalarType.Float64, generator: generator);
        var (q, r) = linalg.qr(gaussian);
        var signs = r.diagonal().sign();
        signs = where(signs.eq(0), ones_like(signs), signs);
        return (q * signs * gain).MoveToOuterDisposeScope();
    });

    private static string PerGroup(WeightSlot slot) => slot.Groups > 1 ? $" per group ({slot.Groups} groups)" : "";
}
