using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// A dataset, or the subset of it at <c>index</c>, read in batches without copying the whole: each batch is an
/// <c>index_select</c> of images [B, C, H, W] and labels [B] made in the caller's dispose scope (one per step).
/// Owns only its index tensor, never the dataset's tensors.
/// </summary>
internal sealed class Examples : IDisposable
{
    private readonly Dataset data;
    private readonly Tensor? index;

    private Examples(Dataset data, Tensor? index)
    {
        this.data = data;
        this.index = index;
        Count = index?.shape[0] ?? data.Count;
    }

    /// <summary>All of <paramref name="data"/>, in order.</summary>
    public static Examples All(Dataset data) => new(data, null);

    /// <summary>
    /// Splits <paramref name="data"/> into a training part and a held-out part of ⌊N·fraction⌋ examples (at least 1),
    /// by a permutation drawn from <paramref name="seed"/> alone: the same seed gives the same split in every run and
    /// after a resume.
    /// </summary>
    public static (Examples Train, Examples Held) Split(Dataset data, double fraction, long seed)
    {
        var held = Math.Max(1, (long)Math.Floor(data.Count * fraction));
        if (held >= data.Count)
            throw new ArgumentException($"a validation fraction of {fraction} leaves no training examples out of {data.Count}", nameof(fraction));
        using var generator = new Generator(unchecked((ulong)seed ^ 0x5EED_5EED_5EED_5EEDUL));
        using var scope = NewDisposeScope();
        var permutation = randperm(data.Count, generator: generator);
        var heldIndex = permutation.narrow(0, 0, held).sort().Values.MoveToOuterDisposeScope();
        var trainIndex = permutation.narrow(0, held, data.Count - held).sort().Values.MoveToOuterDisposeScope();
        return (new Examples(data, trainIndex), new Examples(data, heldIndex));
    }

    public long Count { get; }

    /// <summary>The number of batches of at most <paramref name="batchSize"/> (the last may be smaller).</summary>
    public int Batches(int batchSize) => checked((int)((Count + batchSize - 1) / batchSize));

    /// <summary>A fresh random order of 0…Count − 1 from <paramref name="generator"/> (the caller owns it).</summary>
    public Tensor Shuffle(Generator generator) => randperm(Count, generator: generator);

    /// <summary>
    /// Batch <paramref name="batch"/> (from 0) of <paramref name="batchSize"/>, in <paramref name="order"/> (positions in
    /// this set) or in stored order when null, moved to <paramref name="device"/>; both tensors live in the current scope.
    /// </summary>
    public Batch Get(int batch, int batchSize, Tensor? order, Device device)
    {
        var start = (long)batch * batchSize;
        var length = Math.Min(batchSize, Count - start);
        Tensor images, labels;
        if (order is null && index is null)
        {
            images = data.Images.narrow(0, start, length);
            labels = data.Labels.narrow(0, start, length);
        }
        else
        {
            var positions = order?.narrow(0, start, length) ?? arange(start, start + length, dtype: ScalarType.Int64);
            var rows = index is null ? positions : index.index_select(0, positions);
            images = data.Images.index_select(0, rows);
            labels = data.Labels.index_select(0, rows);
        }
        return new Batch(images.to(device), labels.to(device));
    }

    public void Dispose() => index?.Dispose();
}

/// <summary>One batch: images [B, …] and labels [B].</summary>
internal sealed record Batch(Tensor Images, Tensor Labels)
{
    public long Size => Labels.shape[0];
}
