using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// Mini-batches over a <see cref="Dataset"/>: one pass (an epoch) visits every example exactly once, in ⌈N / B⌉
/// batches of B examples, the last one holding the N mod B that remain (it is included, not dropped). Shuffled by a
/// permutation drawn from a <see cref="torch.Generator"/> (a seeded generator gives the same epochs again), or in
/// order without one. Each enumeration is a new epoch: the permutation is drawn when enumeration starts.
/// <para>
/// Enumerating allocates no tensors: a <see cref="MiniBatch"/> only names its examples. Its tensors come from
/// <see cref="MiniBatch.Load"/>, in the dispose scope current at that call — the caller's per-step scope:
/// </para>
/// <code>
/// foreach (var batch in Batches.Of(train, 64, shuffle: generator))
/// {
///     using var step = torch.NewDisposeScope();
///     var (images, labels) = batch.Load();   // owned by step: freed when the step ends
///     …
/// }
/// </code>
/// </summary>
public static class Batches
{
    /// <summary>The mini-batches of one epoch over <paramref name="data"/>, shuffled when a generator is given.</summary>
    public static IEnumerable<MiniBatch> Of(Dataset data, int batchSize, torch.Generator? shuffle = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Epoch(data, batchSize, shuffle);
    }

    /// <summary>How many mini-batches an epoch has: ⌈N / batchSize⌉.</summary>
    public static int Count(Dataset data, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return (int)((data.Count + batchSize - 1) / batchSize);
    }

    private static IEnumerable<MiniBatch> Epoch(Dataset data, int batchSize, torch.Generator? shuffle)
    {
        var n = data.Count;
        var order = new long[n];
        if (shuffle is null)
        {
            for (var i = 0; i < n; i++) order[i] = i;
        }
        else
        {
            using var permutation = randperm(n, generator: shuffle);
            permutation.data<long>().CopyTo(order.AsSpan(), 0, 0);
        }
        var index = 0;
        for (var start = 0; start < n; start += batchSize, index++)
        {
            yield return new MiniBatch(data, index, new ArraySegment<long>(order, start, (int)Math.Min(batchSize, n - start)));
        }
    }
}

/// <summary>
/// One mini-batch of an epoch: its position and the dataset rows it holds, not yet any tensor.
/// </summary>
public sealed class MiniBatch
{
    private readonly ArraySegment<long> rows;

    internal MiniBatch(Dataset source, int index, ArraySegment<long> rows)
    {
        Source = source;
        Index = index;
        this.rows = rows;
    }

    /// <summary>The dataset the batch is drawn from.</summary>
    public Dataset Source { get; }

    /// <summary>The batch's position in its epoch, 0…⌈N / B⌉ − 1.</summary>
    public int Index { get; }

    /// <summary>The number of examples, B (or fewer, for the last batch).</summary>
    public int Count => rows.Count;

    /// <summary>The dataset rows in the batch, in batch order.</summary>
    public IReadOnlyList<long> Rows => rows;

    /// <summary>
    /// The batch's examples: images [B, C, H, W] and labels [B] gathered from the dataset by index_select — new
    /// tensors (changing them leaves the dataset alone), created in the current dispose scope, which owns them.
    /// </summary>
    public BatchTensors Load()
    {
        using var scope = NewDisposeScope();
        var rowsOnCpu = empty(rows.Count, ScalarType.Int64);
        // The rows go straight into the index tensor's storage: no managed array per batch.
        MemoryMarshal.AsBytes(rows.AsSpan()).CopyTo(rowsOnCpu.bytes);
        var index = rowsOnCpu.to(Source.Labels.device);
        var images = Source.Images.index_select(0, index);
        var labels = Source.Labels.index_select(0, index);
        return new BatchTensors(images.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }

    public override string ToString() => $"MiniBatch {Index} of {Source.Name}: {Count} examples";
}

/// <summary>A loaded mini-batch: images [B, C, H, W] float32 and labels [B] int64.</summary>
public sealed record BatchTensors(Tensor Images, Tensor Labels) : IDisposable
{
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
