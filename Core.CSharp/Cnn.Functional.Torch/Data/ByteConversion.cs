using System.Numerics;

namespace Cnn.Functional.Torch;

/// <summary>
/// Widens unsigned bytes into a tensor's element type, in managed code on one thread. Loading converts ~1 MiB
/// chunks; done as torch ops, each chunk's conversion is a parallel kernel whose thread hand-off dominates on a busy
/// 2-core machine (measured here: 0.7–2.8 s for Fashion-MNIST's training set, against ~0.15 s on one thread).
/// </summary>
internal static class ByteConversion
{
    /// <summary>target[i] = source[i] / 255 in float32 — IEEE division, bit for bit what torch's x / 255 gives.</summary>
    public static void ToUnitFloats(ReadOnlySpan<byte> source, Span<float> target)
    {
        if (target.Length < source.Length) throw new ArgumentException("the target is shorter than the source", nameof(target));
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var divisor = new Vector<float>(255f);
            var lanes = Vector<float>.Count;
            for (; i <= source.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                // bytes → 2 × ushort → 4 × uint (each lane < 256, so reading them as int is exact) → float.
                Vector.Widen(new Vector<byte>(source[i..]), out var low, out var high);
                Vector.Widen(low, out var a, out var b);
                Vector.Widen(high, out var c, out var d);
                (Vector.ConvertToSingle(Vector.AsVectorInt32(a)) / divisor).CopyTo(target[i..]);
                (Vector.ConvertToSingle(Vector.AsVectorInt32(b)) / divisor).CopyTo(target[(i + lanes)..]);
                (Vector.ConvertToSingle(Vector.AsVectorInt32(c)) / divisor).CopyTo(target[(i + 2 * lanes)..]);
                (Vector.ConvertToSingle(Vector.AsVectorInt32(d)) / divisor).CopyTo(target[(i + 3 * lanes)..]);
            }
        }
        for (; i < source.Length; i++) target[i] = source[i] / 255f;
    }

    /// <summary>target[i] = source[i] as a 64-bit integer.</summary>
    public static void ToInt64(ReadOnlySpan<byte> source, Span<long> target)
    {
        if (target.Length < source.Length) throw new ArgumentException("the target is shorter than the source", nameof(target));
        for (var i = 0; i < source.Length; i++) target[i] = source[i];
    }
}
