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

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
