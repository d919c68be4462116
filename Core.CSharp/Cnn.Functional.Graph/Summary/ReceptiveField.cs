using System.Globalization;

namespace Cnn.Functional;

/// <summary>
/// The receptive field of a unit: how many input pixels it sees along each spatial dimension of the graph's
/// input, and its jump (the distance in input pixels between neighbouring units). Padding is ignored, so
/// a field may be larger than the image. Empty for graphs whose input is a flat vector.
/// </summary>
/// <remarks>
/// Recurrence (Dumoulin &amp; Visin; Araujo et al., "Computing receptive fields of CNNs"): for a window of effective
/// size k = D(F − 1) + 1 and stride s, r' = r + (k − 1)·j and j' = j·s. Three 3×3 convolutions with dilations
/// 1, 2, 4 give 3, 7, 15 (Yu &amp; Koltun, Fig. 1). A transposed convolution divides the jump by its stride and
/// widens the field by ⌈k/s⌉ − 1 input steps. Merges take the largest field of their inputs.
/// </remarks>
public sealed record ReceptiveField(EquatableArray<double> Size, EquatableArray<double> Jump)
{
    public static ReceptiveField None { get; } = new(EquatableArray<double>.Empty, EquatableArray<double>.Empty);

    /// <summary>A single input pixel: size 1, jump 1 in each of <paramref name="rank"/> dimensions.</summary>
    public static ReceptiveField Pixel(int rank) =>
        new(Enumerable.Repeat(1.0, rank).ToEquatableArray(), Enumerable.Repeat(1.0, rank).ToEquatableArray());

    /// <summary>The field after a layer with <paramref name="map"/>, given the layer's input spatial sizes.</summary>
    public ReceptiveField Through(SpatialMap map, int[] inputSpatial)
    {
        if (Size.Count == 0) return this;
        return map switch
        {
            SpatialMap.WindowMap w when w.Kernel.Count == Size.Count => Step(i => w.Kernel[i] - 1.0, i => w.Stride[i]),
            SpatialMap.UpsamplingMap u when u.Kernel.Count == Size.Count =>
                Step(i => Math.Ceiling((double)u.Kernel[i] / u.Stride[i]) - 1.0, i => 1.0 / u.Stride[i]),
            // A global window spans the whole feature map it reads.
            SpatialMap.GlobalMap when inputSpatial.Length == Size.Count => Step(i => inputSpatial[i] - 1.0, i => inputSpatial[i]),
            _ => this,
        };
    }

    private ReceptiveField Step(Func<int, double> extraSteps, Func<int, double> strideFactor) => new(
        Enumerable.Range(0, Size.Count).Select(i => Size[i] + extraSteps(i) * Jump[i]).ToEquatableArray(),
        Enumerable.Range(0, Size.Count).Select(i => Jump[i] * strideFactor(i)).ToEquatableArray());

    /// <summary>The field that covers all of <paramref name="fields"/> (for merges).</summary>
    public static ReceptiveField Union(IEnumerable<ReceptiveField> fields)
    {
        var list = fields.Where(f => f.Size.Count > 0).ToList();
        if (list.Count == 0) return None;
        var rank = list[0].Size.Count;
        if (list.Any(f => f.Size.Count != rank)) return list[0];
        return new ReceptiveField(
            Enumerable.Range(0, rank).Select(i => list.Max(f => f.Size[i])).ToEquatableArray(),
            Enumerable.Range(0, rank).Select(i => list.Max(f => f.Jump[i])).ToEquatableArray());
    }

    /// <summary>"15" when every dimension agrees, "7×3" otherwise.</summary>
    public static string Format(EquatableArray<double> values)
    {
        if (values.Count == 0) return "-";
        var text = values.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture)).ToList();
        return text.Distinct().Count() == 1 ? text[0] : string.Join("×", text);
    }

    public override string ToString() => $"{Format(Size)} (jump {Format(Jump)})";
}
