using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Training;

/// <summary>Training tests share libtorch's global generator and read process memory: they run alone, one after another.</summary>
[CollectionDefinition("Training", DisableParallelization = true)]
public sealed class TrainingCollection : ICollectionFixture<OneThread>;

/// <summary>
/// libtorch on one intra-op thread while the training tests run. Their nets are tiny, where a second thread only
/// adds synchronisation, and on a shared, busy 2-core machine two spinning threads per process made a step ~10×
/// slower than one. The previous setting is restored afterwards.
/// </summary>
public sealed class OneThread : IDisposable
{
    private readonly int previous = torch.get_num_threads();

    public OneThread() => torch.set_num_threads(1);

    public void Dispose() => torch.set_num_threads(previous);
}

/// <summary>
/// A separable problem made on the spot, so these tests need no dataset files: a 1×12×12 image of noise
/// (σ = 0.3) with a bright 3×3 blob somewhere inside one of its four 6×6 quadrants; the class is the quadrant.
/// </summary>
internal static class Synthetic
{
    public const int Size = 12;

    public static Dataset Quadrants(int count, int seed, bool randomLabels = false)
    {
        var random = new Random(seed);
        var pixels = new float[count * Size * Size];
        var labels = new long[count];
        for (var n = 0; n < count; n++)
        {
            var quadrant = random.Next(4);
            var (top, left) = (quadrant / 2 * 6 + random.Next(4), quadrant % 2 * 6 + random.Next(4));
            for (var i = 0; i < Size * Size; i++)
                pixels[n * Size * Size + i] = (float)(0.3 * Gaussian(random));
            for (var dy = 0; dy < 3; dy++)
                for (var dx = 0; dx < 3; dx++)
                    pixels[n * Size * Size + (top + dy) * Size + left + dx] += 1f;
            labels[n] = randomLabels ? random.Next(4) : quadrant;
        }
        return new Dataset(randomLabels ? "random-quadrants" : "quadrants", tensor(pixels).reshape(count, 1, Size, Size), tensor(labels), 4,
            EquatableArray.Of("top-left", "top-right", "bottom-left", "bottom-right"));
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>A LeNet-like net for 1×12×12: conv 8 + batch norm, conv 16, dense 32 with dropout, 4 classes (6,036 parameters).</summary>
    public static Graph SmallNet(string name = "small", int firstFilters = 8, bool dropout = true, bool batchNorm = true)
    {
        var graph = Graph.Create(name, Shape.Image(1, Size, Size))
            .Then("conv1", Layers.Conv(firstFilters, 3, padding: 1));
        if (batchNorm) graph = graph.Then("bn1", Layers.BatchNorm());
        graph = graph
            .Then("relu1", Layers.Relu())
            .Then("pool1", Layers.MaxPool(2))
            .Then("conv2", Layers.Conv(16, 3, padding: 1))
            .Then("relu2", Layers.Relu())
            .Then("pool2", Layers.MaxPool(2))
            .Then("flatten", Layers.Flatten())
            .Then("fc1", Layers.Dense(32))
            .Then("relu3", Layers.Relu());
        if (dropout) graph = graph.Then("drop", Layers.Dropout(0.25));
        return graph.Then("fc2", Layers.Dense(4));
    }

    /// <summary>A module for <paramref name="graph"/> whose initial weights come from <paramref name="seed"/>.</summary>
    public static GraphModule Module(Graph graph, int seed)
    {
        torch.manual_seed(seed);
        return GraphModule.Create(graph);
    }

    /// <summary>Copies of every parameter and buffer, by name (the caller disposes them).</summary>
    public static Dictionary<string, Tensor> Weights(nn.Module module)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }

    /// <summary>True when both modules hold exactly the same bits in every parameter and buffer.</summary>
    public static bool SameBits(nn.Module a, nn.Module b)
    {
        var x = a.state_dict();
        var y = b.state_dict();
        return x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var t) && SameBits(kv.Value, t));
    }

    /// <summary>Same dtype, shape and bytes (NaN payloads included).</summary>
    public static bool SameBits(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.contiguous().bytes.SequenceEqual(b.contiguous().bytes);
    }

    /// <summary>Collects events synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
    public sealed class Recorder : IProgress<TrainingEvent>
    {
        public List<TrainingEvent> Events { get; } = [];

        public Action<TrainingEvent>? OnEvent { get; init; }

        public void Report(TrainingEvent value)
        {
            Events.Add(value);
            OnEvent?.Invoke(value);
        }

        public List<EpochSummary> Epochs => Events.OfType<EpochEnded>().Select(e => e.Summary).ToList();
    }
}
