using Cnn.Functional.Torch;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Data;

/// <summary>An epoch of mini-batches visits every example exactly once; shuffling is seeded; tensors belong to the caller.</summary>
public class BatchesTests
{
    /// <summary>N examples whose label is their row and whose every pixel is row + 0.5: a batch tells where each row came from.</summary>
    private static Dataset Numbered(int n) =>
        new("numbered", (arange(n, dtype: ScalarType.Float32) + 0.5f).view(n, 1, 1, 1).expand(n, 1, 2, 3).contiguous(),
            arange(n, dtype: ScalarType.Int64), n, Enumerable.Range(0, n).Select(i => $"row {i}").ToEquatableArray());

    /// <summary>The rows one epoch yields, in order, after checking each batch's images and labels agree with its rows.</summary>
    private static List<long> Epoch(Dataset data, int batchSize, torch.Generator? shuffle)
    {
        var rows = new List<long>();
        foreach (var batch in Batches.Of(data, batchSize, shuffle))
        {
            using var step = NewDisposeScope();
            var (images, labels) = batch.Load();
            var labelled = labels.data<long>().ToArray();
            Assert.Equal(batch.Rows, labelled);
            Assert.Equal(labelled.Select(l => l + 0.5f), images[.., 0, 1, 2].data<float>().ToArray());
            Assert.Equal(new long[] { batch.Count, 1, 2, 3 }, images.shape);
            rows.AddRange(labelled);
        }
        return rows;
    }

    [Property(MaxTest = 40)]
    public Property Every_example_is_in_exactly_one_batch_per_epoch(PositiveInt size, PositiveInt batch, bool shuffle, int seed)
    {
        var (n, b) = (1 + size.Get % 200, 1 + batch.Get % 64);
        using var data = Numbered(n);
        using var generator = new torch.Generator((ulong)seed);
        var rows = Epoch(data, b, shuffle ? generator : null);
        var sizes = Batches.Of(data, b, shuffle ? generator : null).Select(m => m.Count).ToList();
        var expectedSizes = Enumerable.Repeat(b, n / b).Concat(n % b == 0 ? [] : [n % b]);
        return (rows.Order().SequenceEqual(Enumerable.Range(0, n).Select(i => (long)i))
                && sizes.SequenceEqual(expectedSizes)
                && sizes.Count == Batches.Count(data, b)
                && (shuffle || rows.SequenceEqual(rows.Order())))
            .Label($"n = {n}, batch = {b}, shuffle = {shuffle}: sizes [{string.Join(", ", sizes)}]");
    }

    [Fact]
    public void Shuffling_is_reproducible_with_a_seed_and_new_in_every_epoch()
    {
        using var data = Numbered(50);
        using var first = new torch.Generator(2024);
        using var again = new torch.Generator(2024);
        var epoch1 = Epoch(data, 8, first);
        var epoch2 = Epoch(data, 8, first);
        Assert.Equal(epoch1, Epoch(data, 8, again));
        Assert.Equal(epoch2, Epoch(data, 8, again));
        Assert.NotEqual(epoch1, epoch2);
        Assert.NotEqual(Enumerable.Range(0, 50).Select(i => (long)i), epoch1);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), Epoch(data, 8, shuffle: null));
    }

    [Fact]
    public void The_last_partial_batch_is_included()
    {
        using var data = Numbered(10);
        var batches = Batches.Of(data, 4).ToList();
        Assert.Equal([4, 4, 2], batches.Select(b => b.Count));
        Assert.Equal([0, 1, 2], batches.Select(b => b.Index));
        Assert.Equal([8L, 9L], batches[2].Rows);
        Assert.Equal("MiniBatch 2 of numbered: 2 examples", batches[2].ToString());
    }

    [Fact]
    public void A_batchs_tensors_belong_to_the_scope_it_is_loaded_in_and_are_copies()
    {
        using var data = Numbered(6);
        var batch = Batches.Of(data, 4, new torch.Generator(1)).First();
        BatchTensors loaded;
        using (var step = NewDisposeScope())
        {
            loaded = batch.Load();
            Assert.Equal(2, step.DisposablesCount); // the images and the labels, no intermediate
            Assert.True(step.Contains(loaded.Images) && step.Contains(loaded.Labels));
            loaded.Images.fill_(-1f); // a copy: the dataset is untouched
        }
        Assert.True(loaded.Images.IsInvalid && loaded.Labels.IsInvalid);
        Assert.Equal(0.5f, data.Images.min().item<float>());
    }

    [Fact]
    public void Enumerating_creates_no_tensor()
    {
        using var data = Numbered(100);
        using var scope = NewDisposeScope();
        var count = Batches.Of(data, 7, new torch.Generator(3)).Count();
        Assert.Equal((15, 0), (count, scope.DisposablesCount));
    }

    [Fact]
    public void A_batch_size_below_one_is_refused()
    {
        using var data = Numbered(3);
        Assert.Throws<ArgumentOutOfRangeException>(() => Batches.Of(data, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Batches.Count(data, -1));
    }
}
