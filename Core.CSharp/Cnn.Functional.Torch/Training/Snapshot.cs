using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// A copy of a module's parameters and buffers (its state dict), to return to: the trainer takes one at the start
/// of every epoch so that a diverging loss leaves the last good weights. Costs one model's memory while it lives.
/// </summary>
internal sealed class Snapshot : IDisposable
{
    private readonly Dictionary<string, Tensor> tensors;

    private Snapshot(Dictionary<string, Tensor> tensors) => this.tensors = tensors;

    public static Snapshot Of(GraphModule module)
    {
        using var noGrad = no_grad();
        // The scope frees detach()'s aliases; the copies leave it.
        using var scope = NewDisposeScope();
        return new(module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope(), StringComparer.Ordinal));
    }

    public void Restore(GraphModule module) => Copy(tensors, module);

    /// <summary>Copies <paramref name="source"/> into the module's tensors of the same names (checked to match beforehand).</summary>
    public static void Copy(IReadOnlyDictionary<string, Tensor> source, GraphModule module)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in module.state_dict()) tensor.copy_(source[name]);
    }

    public void Dispose()
    {
        foreach (var t in tensors.Values) t.Dispose();
    }
}
