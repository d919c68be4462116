using Cnn.Functional.Properties;
using Cnn.Functional.Torch;
using FsCheck;
using FsCheck.Fluent;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Tests;

/// <summary>
/// Deliberately broken layers, one or more per law: the library's layer with its forward replaced by a plausible
/// mistake (a forgotten flip, a wrong scaling, a wiring slip). Each keeps the layer's parameters, so the law reads the
/// same weights it would read from the real layer.
/// </summary>
internal static class Mutants
{
    /// <summary>Every subject of <paramref name="subjects"/> with its node's forward replaced.</summary>
    public static Gen<Subject> Broken(this Gen<Subject> subjects, string description, Func<NodeModule, IReadOnlyList<Tensor>, Tensor> forward) =>
        subjects.Select(s => s.WithForward(description, forward));

    public static Parameter Parameter(this NodeModule module, string name) => module.named_parameters().Single(p => p.name == name).parameter;

    public static Parameter? Maybe(this NodeModule module, string name) => module.named_parameters().FirstOrDefault(p => p.name == name).parameter;

    /// <summary>The spatial dimensions of a batch.</summary>
    public static long[] Spatial(Tensor x) => Enumerable.Range(2, (int)x.dim() - 2).Select(d => (long)d).ToArray();

    /// <summary>A ramp 0, 1, 2, … over the positions of <paramref name="x"/>'s last dimension, broadcastable to x.</summary>
    public static Tensor Ramp(Tensor x)
    {
        long[] shape = [.. Enumerable.Repeat(1L, (int)x.dim() - 1), x.shape[^1]];
        return arange(x.shape[^1], dtype: x.dtype).reshape(shape);
    }
}
