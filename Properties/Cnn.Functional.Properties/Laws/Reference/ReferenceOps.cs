using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Properties;

/// <summary>
/// Plain libtorch operations the laws build their closed forms from: explicit padding, a convolution without padding,
/// subsampling, zero insertion. Each is the textbook operation, written out so that a law's reference does not go
/// through the lowering it checks.
/// </summary>
internal static class ReferenceOps
{
    /// <summary><paramref name="x"/> [N, C, *S] padded as <paramref name="window"/> says (before and after each spatial dimension).</summary>
    public static Tensor Pad(Tensor x, Window window)
    {
        if (!window.Pads) return x.alias();
        var rank = window.Rank;
        var pairs = new long[2 * rank];
        for (var i = 0; i < rank; i++)
        {
            var axis = rank - 1 - i;
            pairs[2 * i] = window.PadBefore[axis];
            pairs[2 * i + 1] = window.PadAfter[axis];
        }
        var mode = window.Mode switch
        {
            PaddingMode.Circular => TorchSharp.PaddingModes.Circular,
            PaddingMode.Reflect => TorchSharp.PaddingModes.Reflect,
            PaddingMode.Replicate => TorchSharp.PaddingModes.Replicate,
            _ => TorchSharp.PaddingModes.Constant,
        };
        return F.pad(x, pairs, mode);
    }

    /// <summary>A convolution (cross-correlation, as in CNNs) of an already padded input: libtorch's conv1d/2d/3d with no padding.</summary>
    public static Tensor Convolve(Tensor padded, Tensor weight, Tensor? bias, long[] stride, long[] dilation, long groups) => stride.Length switch
    {
        1 => F.conv1d(padded, weight, bias, stride[0], 0, dilation[0], groups),
        2 => F.conv2d(padded, weight, bias, stride, [0, 0], dilation, groups),
        _ => F.conv3d(padded, weight, bias, stride, [0, 0, 0], dilation, groups),
    };

    /// <summary>The convolution of <paramref name="x"/> with the window's padding, stride and dilation.</summary>
    public static Tensor Convolve(Tensor x, Tensor weight, Tensor? bias, Window window, long groups)
    {
        using var padded = Pad(x, window);
        return Convolve(padded, weight, bias, Longs(window.Stride), Longs(window.Dilation), groups);
    }

    /// <summary>Every <paramref name="stride"/>-th position of each spatial dimension, <paramref name="count"/> of them.</summary>
    public static Tensor Subsample(Tensor x, int[] stride, int[] count)
    {
        var y = x.alias();
        for (var i = 0; i < stride.Length; i++)
        {
            var index = arange(0L, (long)count[i] * stride[i], stride[i], device: x.device);
            var next = y.index_select(2 + i, index);
            y.Dispose();
            y = next;
        }
        return y;
    }

    /// <summary>
    /// The transposed convolution's "zero insertion": <paramref name="g"/> [N, F, *O] spread to [N, F, *((O − 1)·s + 1)]
    /// with s − 1 zeros between neighbours (the lecture's upsampling; Dumoulin &amp; Visin, §4.5).
    /// </summary>
    public static Tensor InsertZeros(Tensor g, int[] stride)
    {
        var y = g.alias();
        for (var i = 0; i < stride.Length; i++)
        {
            if (stride[i] == 1) continue;
            var dim = 2 + i;
            var size = y.shape[dim];
            long[] shape = [.. y.shape];
            shape[dim] = (size - 1) * stride[i] + 1;
            var spread = zeros(shape, dtype: y.dtype, device: y.device);
            spread.index_copy_(dim, arange(0L, (size - 1) * stride[i] + 1, stride[i], device: y.device), y);
            y.Dispose();
            y = spread;
        }
        return y;
    }

    public static long[] Longs(int[] values) => values.Select(v => (long)v).ToArray();

    /// <summary>The spatial dimensions of a batch of rank <paramref name="rank"/>: 2, 3, ….</summary>
    public static long[] SpatialDims(int rank) => Enumerable.Range(2, rank).Select(d => (long)d).ToArray();
}
