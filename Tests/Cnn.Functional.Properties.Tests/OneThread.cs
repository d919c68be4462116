using TorchSharp;

namespace Cnn.Functional.Tests;

/// <summary>Every law test runs in this collection: one after another, with libtorch on one intra-op thread.</summary>
[CollectionDefinition("Laws", DisableParallelization = true)]
public sealed class LawsCollection : ICollectionFixture<OneThread>;

/// <summary>
/// libtorch on one intra-op thread while the law tests run: their tensors have tens to hundreds of values, where a
/// second thread only adds synchronisation, and the machine's two cores are shared. The previous setting is restored.
/// </summary>
public sealed class OneThread : IDisposable
{
    private readonly int previous = torch.get_num_threads();

    public OneThread() => torch.set_num_threads(1);

    public void Dispose() => torch.set_num_threads(previous);
}
