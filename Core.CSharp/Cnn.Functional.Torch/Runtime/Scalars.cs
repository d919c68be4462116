using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// Numbers into and out of tensor operations without leaving native garbage for the finalizer: an instance hands out
/// native scalars that are freed together when it is disposed; <see cref="One"/> is a shared 1 for the operations
/// whose α defaults to 1 (<c>a.add(b)</c> makes a scalar 1 per call); <see cref="Read{T}"/> reads a one-element tensor.
/// <para>
/// TorchSharp turns a number passed where it wants a <see cref="Scalar"/> (<c>x.mul_(0.9)</c>, <c>alpha: 1 − ρ</c>) into a
/// native <c>at::Scalar</c> that no dispose scope tracks (dotnet/TorchSharp#1434, open): only the garbage collector's
/// finalizer frees it. A training step makes dozens; scattered among the step's tensors they pinned glibc's freed
/// memory, and LeNet-5's resident memory grew ~90 MiB over three epochs of training (BENCHMARKS.md, "Memory while
/// training LeNet-5"). <c>item&lt;T&gt;()</c> likewise leaves ~190 bytes per call. Code that runs per step or per batch
/// passes numbers through this class instead (<c>NativeGarbageTests</c> checks a training epoch leaves nothing).
/// </para>
/// </summary>
public sealed class Scalars : IDisposable
{
    private readonly List<Scalar> made = [];

    /// <summary>1, shared and never freed: pass it as α (<c>a.add(b, Scalars.One)</c>) where TorchSharp would make a fresh 1.</summary>
    public static Scalar One { get; } = 1L.ToScalar();

    /// <summary>
    /// The value of a one-element tensor, read from its storage (converted to <typeparamref name="T"/>'s type, and
    /// copied to the CPU, first if need be).
    /// </summary>
    /// <exception cref="ArgumentException">The tensor does not hold exactly one element, or <typeparamref name="T"/> is not float, double, long, int or bool.</exception>
    public static T Read<T>(Tensor value) where T : unmanaged
    {
        if (value.numel() != 1)
            throw new ArgumentException($"only a one-element tensor has a single value; this one has shape [{string.Join(", ", value.shape)}]", nameof(value));
        var type = default(T) switch
        {
            float => ScalarType.Float32,
            double => ScalarType.Float64,
            long => ScalarType.Int64,
            int => ScalarType.Int32,
            bool => ScalarType.Bool,
            _ => throw new ArgumentException($"{typeof(T).Name} is not a tensor element type this reads (float, double, long, int, bool)"),
        };
        if (value.device_type == DeviceType.CPU && value.dtype == type) return MemoryMarshal.Read<T>(value.bytes);
        using var copy = value.to(type, CPU);
        return MemoryMarshal.Read<T>(copy.bytes);
    }

    /// <summary><paramref name="value"/> as a native scalar, freed when this is disposed.</summary>
    public Scalar Of(double value) => Keep(value.ToScalar());

    /// <summary><paramref name="value"/> as an integral native scalar, freed when this is disposed.</summary>
    public Scalar Of(long value) => Keep(value.ToScalar());

    private Scalar Keep(Scalar scalar)
    {
        made.Add(scalar);
        return scalar;
    }

    /// <summary>Frees every scalar made so far; this may be used again afterwards.</summary>
    public void Dispose()
    {
        foreach (var scalar in made) scalar.Dispose();
        made.Clear();
    }
}
