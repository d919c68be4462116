using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// Forward passes without learning — evaluation (<see cref="Trainer.Evaluate"/>, validation) and
/// <see cref="Predict"/> — run with the settings measured fastest here (BENCHMARKS.md, "Inference"):
/// <list type="bullet">
/// <item>libtorch's inference mode rather than only no_grad: no autograd records, no version counters;</item>
/// <item>image batches in channels-last (NHWC) memory order. Every layer keeps the values and shapes of NCHW —
/// only the strides differ — but libtorch's convolutions then run oneDNN's NHWC kernels and max-pooling vectorises
/// over channels; the layout flows from the input through the layers, with no change to the weights;</item>
/// <item>the module in evaluation mode (dropout off, batch norm's running statistics).</item>
/// </list>
/// The allocator tuning that matters most (<see cref="NativeAllocator"/>) is applied when a graph is lowered.
/// </summary>
public static class Inference
{
    /// <summary>
    /// The graph's outputs <c>[N, …]</c> for <paramref name="inputs"/> <c>[N, …]</c>, computed in batches of
    /// <paramref name="batchSize"/> in evaluation and inference mode; the module's mode is restored afterwards.
    /// The result is an ordinary tensor in the current dispose scope (usable later with autograd).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is less than 1.</exception>
    public static Tensor Predict(GraphModule module, Tensor inputs, int batchSize = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        using var evaluating = Freezing.Evaluating(module);
        var n = inputs.shape[0];
        var parts = new List<Tensor>();
        try
        {
            using (Mode())
                for (long start = 0; start < n; start += batchSize)
                {
                    using var batch = inputs.narrow(0, start, Math.Min(batchSize, n - start));
                    using var laid = Layout(batch);
                    parts.Add(module.forward(laid).DetachFromDisposeScope());
                }
            // Outside inference mode, so that the result is a normal tensor, not an inference tensor.
            return parts.Count == 1 ? parts[0].clone() : cat(parts, 0);
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }

    /// <summary>
    /// Enters libtorch's inference mode (dispose to leave): no gradients, no autograd bookkeeping. For a scoring loop
    /// of your own; tensors made inside are inference tensors, so copy out what must later take part in autograd.
    /// </summary>
    public static IDisposable Mode() => inference_mode();

    /// <summary>
    /// A batch of images <c>[N, C, H, W]</c> in channels-last order: NCHW shape and values, NHWC strides (PyTorch's
    /// <c>x.contiguous(memory_format=torch.channels_last)</c>, which TorchSharp 0.107 lacks); any other rank as an alias.
    /// With one channel both orders put every element at the same address and only the stride of C tells them apart,
    /// so a contiguous grey batch is restrided as a view (permute-and-copy would keep NCHW strides: the permuted
    /// tensor already counts as contiguous, so nothing is copied or restrided). With more channels it is copied.
    /// </summary>
    public static Tensor Layout(Tensor batch)
    {
        if (batch.dim() != 4) return batch.alias();
        var (c, h, w) = (batch.shape[1], batch.shape[2], batch.shape[3]);
        if (c == 1 && batch.is_contiguous())
            return batch.as_strided(batch.shape, [h * w, 1, w, 1], batch.storage_offset());
        using var nhwc = batch.permute(0, 2, 3, 1);
        using var dense = nhwc.contiguous();
        return dense.permute(0, 3, 1, 2);
    }
}
