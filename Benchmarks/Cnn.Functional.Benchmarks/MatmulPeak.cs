using Cnn.Functional.Torch;

namespace Cnn.Functional.Benchmarks;

/// <summary>
/// The machine's measured float32 matrix-multiply throughput (<see cref="Speed.Matmul"/>: <c>torch.mm</c> of random
/// n×n matrices on the training threads, median of 5 trials) for n = 512, 1024 and 2048; the best size is the peak that
/// training GFLOP/s are set against: no convolution, which libtorch lowers to the same GEMM kernels or to oneDNN's,
/// beats it by much.
/// </summary>
internal static class MatmulPeak
{
    public static double Measure(TextWriter output, string when)
    {
        var results = Speed.Matmul([512, 1024, 2048], seconds: 1.4);
        var peak = results.Max(r => r.Gflops);
        output.WriteLine($"  matmul peak ({when}): {string.Join(", ", results.Select(r => $"n = {r.Size}: {r.Gflops:N1}"))} GFLOP/s → {peak:N1}");
        return peak;
    }
}
