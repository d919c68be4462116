using Cnn.Functional.Torch;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Data;

[CollectionDefinition("Alone", DisableParallelization = true)]
public sealed class AloneCollection;

/// <summary>
/// Loading goes straight into native tensors: the 47 MB of training-image bytes never exist as a managed array, so
/// loading leaves no managed garbage (hand-written TorchSharp loaders leave ~200–270 MB). Runs alone, so that the
/// process-wide heap size is this test's.
/// </summary>
[Collection("Alone")]
public class LoadMemoryTests(ITestOutputHelper output)
{
    private const long MiB = 1 << 20;

    [Fact]
    public void Loading_the_full_training_set_allocates_almost_nothing_managed()
    {
        var paths = FashionMnist.FileNames.Take(2).Select(n => Path.Combine(FashionMnist.DefaultFolder, n + ".gz")).ToArray();
        using (Idx.LoadDataset("warm-up", paths[0], paths[1], FashionMnist.ClassNames, limit: 10)) { }
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        using var train = Idx.LoadDataset("Fashion-MNIST train", paths[0], paths[1], FashionMnist.ClassNames);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"managed bytes allocated while loading: {allocated / 1024.0:N0} KiB; managed heap after a full collection: " +
                         $"{heapBefore / (double)MiB:N1} → {heapAfter / (double)MiB:N1} MiB");
        Assert.Equal(60_000L, train.Count);
        // Everything managed that loading allocates — buffers, strings, the tensor objects — is well under 1 MiB
        // (the images alone are 47 MB of bytes), and the heap does not grow.
        Assert.True(allocated < MiB, $"loading allocated {allocated:N0} managed bytes");
        Assert.True(heapAfter - heapBefore < 4 * MiB, $"the managed heap grew by {heapAfter - heapBefore:N0} bytes");
    }
}
