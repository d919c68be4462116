using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// Labelled examples held as two tensors, loaded straight into native memory (no managed copy lingers):
/// <paramref name="Images"/> [N, C, H, W] float32 and <paramref name="Labels"/> [N] int64 in 0…Classes − 1.
/// The dataset owns both tensors.
/// </summary>
public sealed record Dataset(string Name, Tensor Images, Tensor Labels, int Classes, EquatableArray<string> ClassNames) : IDisposable
{
    public long Count => Labels.shape[0];

    /// <summary>One example's shape without the batch dimension, as the graph's input shape.</summary>
    public Shape ExampleShape => Shape.Of(Images.shape.Skip(1).Select(d => (int)d).ToArray());

    /// <summary>
    /// <paramref name="count"/> standard-normal examples of <paramref name="exampleShape"/> with uniformly random labels
    /// of <paramref name="classes"/> classes ("class 0", …), drawn from a generator seeded with <paramref name="seed"/>:
    /// data with nothing to learn, for measuring speed and memory (<see cref="Speed"/>) without a data set.
    /// </summary>
    public static Dataset Random(Shape exampleShape, int classes, int count, long seed = 1)
    {
        ArgumentNullException.ThrowIfNull(exampleShape);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        using var generator = new Generator((ulong)seed);
        long[] shape = [count, .. exampleShape.Dims.Items.Select(d => (long)d)];
        var names = EquatableArray.Of(Enumerable.Range(0, classes).Select(i => $"class {i}").ToArray());
        return new Dataset("random", randn(shape, generator: generator), randint(0, classes, [count], generator: generator), classes, names);
    }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
