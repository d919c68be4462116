using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Torch;

/// <summary>
/// Sliding-window pooling. Max and average are libtorch's own (average counts padded zeros, as PyTorch does by
/// default); sum is the average times the window size; L2 is √(Σ x²) = √(avg(x²)·|window|). Asymmetric padding
/// is applied first (with −∞ for max, so the padding never wins).
/// </summary>
internal sealed class PoolModule : NodeModule
{
    private readonly PoolKind kind;
    private readonly WindowPadding window;
    private readonly long[] kernel, stride;
    private readonly bool ceil;
    private readonly double size;

    public PoolModule(string name, InferredNode node, Pool pool) : base(name)
    {
        var g = WindowGeometry.For(node.Path, pool.Kind, node.InputShapes[0], pool.Window, pool.Stride, 1, pool.Padding, pool.Rounding, pooling: true);
        kind = pool.Function;
        window = new WindowPadding(this, node.InputShapes[0], g, PaddingMode.Zeros, kind == PoolKind.Max ? double.NegativeInfinity : 0);
        kernel = g.Kernel.Select(k => (long)k).ToArray();
        stride = g.Stride.Select(s => (long)s).ToArray();
        ceil = pool.Rounding == Rounding.Ceil;
        size = kernel.Aggregate(1.0, (a, k) => a * k);
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        var padded = window.NeedsPad ? window.Pad(inputs[0]) : null;
        var x = padded ?? inputs[0];
        var padding = window.NeedsPad ? new long[kernel.Length] : window.Symmetric;
        var result = kind switch
        {
            PoolKind.Max => Max(x, padding),
            PoolKind.Average => Average(x, padding),
            PoolKind.Sum => Average(x, padding) * size,
            _ => GlobalPooling.Root(Average(x.square(), padding) * size),
        };
        return result.MoveToOuterDisposeScope();
    }

    private Tensor Max(Tensor x, long[] padding) => kernel.Length switch
    {
        1 => F.max_pool1d(x, kernel[0], stride[0], padding[0], ceil_mode: ceil),
        2 => F.max_pool2d(x, kernel, stride, padding, ceil_mode: ceil),
        _ => F.max_pool3d(x, kernel, stride, padding, ceil_mode: ceil),
    };

    private Tensor Average(Tensor x, long[] padding) => kernel.Length switch
    {
        1 => F.avg_pool1d(x, kernel[0], stride[0], padding[0], ceil_mode: ceil),
        2 => F.avg_pool2d(x, kernel, stride, padding, ceil_mode: ceil),
        _ => F.avg_pool3d(x, kernel, stride, padding, ceil_mode: ceil),
    };
}

/// <summary>Global pooling over every position: [N, C, *S] → [N, C].</summary>
internal static class GlobalPooling
{
    public static Tensor Apply(PoolKind kind, Tensor x)
    {
        var dims = Enumerable.Range(2, (int)x.dim() - 2).Select(d => (long)d).ToArray();
        return kind switch
        {
            PoolKind.Max => x.amax(dims),
            PoolKind.Average => x.mean(dims),
            PoolKind.Sum => x.sum(dims),
            _ => Root(x.square().sum(dims)),
        };
    }

    /// <summary>
    /// √s for the L2 pools, with gradient 0 where s = 0: sqrt's derivative is infinite there, and a window of zeros
    /// (common after ReLU) would otherwise turn the gradient into ∞·0 = NaN. √ is not differentiable at 0; 0 is
    /// the subgradient PyTorch's own norm functions use.
    /// </summary>
    internal static Tensor Root(Tensor s)
    {
        using var scope = NewDisposeScope();
        var positive = s.gt(0);
        var safe = where(positive, s, ones_like(s));
        return where(positive, safe.sqrt(), zeros_like(s)).MoveToOuterDisposeScope();
    }

    /// <summary>Adaptive average or max pooling to a fixed output size.</summary>
    public static Tensor Adaptive(PoolKind kind, Tensor x, long[] output) => (kind, output.Length) switch
    {
        (PoolKind.Max, 1) => F.adaptive_max_pool1d(x, output[0]),
        (PoolKind.Max, 2) => F.adaptive_max_pool2d(x, output),
        (PoolKind.Max, _) => AdaptiveMax3d(x, output),
        (_, 1) => F.adaptive_avg_pool1d(x, output[0]),
        (_, 2) => F.adaptive_avg_pool2d(x, output),
        _ => F.adaptive_avg_pool3d(x, output),
    };

    /// <summary>
    /// 3-D adaptive max pooling from two 2-D ones. TorchSharp 0.107's <c>adaptive_max_pool3d</c> calls libtorch's 1-D
    /// function and fails on every 5-d input. A box's maximum is the maximum over D of the maximum over (H, W), and
    /// adaptive bins are chosen per dimension, so pool (H, W) for each depth slice, then pool D with the H'·W' axis
    /// kept as it is (L bins over L positions are the positions themselves).
    /// </summary>
    private static Tensor AdaptiveMax3d(Tensor x, long[] output)
    {
        using var scope = NewDisposeScope();
        var (n, c, d) = (x.shape[0], x.shape[1], x.shape[2]);
        var planes = F.adaptive_max_pool2d(x.reshape(n, c * d, x.shape[3], x.shape[4]), [output[1], output[2]]);
        var depth = F.adaptive_max_pool2d(planes.reshape(n, c, d, output[1] * output[2]), [output[0], output[1] * output[2]]);
        return depth.reshape(n, c, output[0], output[1], output[2]).MoveToOuterDisposeScope();
    }
}
