using System.Diagnostics;
using static TorchSharp.torch;

namespace Cnn.Functional.Benchmarks;

/// <summary>
/// The machine's measured float32 matrix-multiply throughput: <c>torch.mm</c> of two random n×n matrices (libtorch's
/// BLAS, on the same threads as training), 2n³ FLOP a product. Each size is timed in 7 trials of at least 0.2 s;
/// the median trial counts, and the best size is the peak that training GFLOP/s are set against: no convolution,
/// which libtorch lowers to the same GEMM kernels or to oneDNN's, can beat it by much.
/// </summary>
internal static class MatmulPeak
{
    public static double Measure(TextWriter output, string when)
    {
        var results = new List<(int N, double Gflops)>();
        foreach (var n in new[] { 512, 1024, 2048 })
        {
            using var a = randn(n, n);
            using var b = randn(n, n);
            for (var w = 0; w < 2; w++) mm(a, b).Dispose();
            var trials = new List<double>();
            for (var t = 0; t < 7; t++)
            {
                var clock = Stopwatch.StartNew();
                var count = 0;
                while (count < 2 || clock.Elapsed.TotalSeconds < 0.2)
                {
                    mm(a, b).Dispose();
                    count++;
                }
                trials.Add(2.0 * n * n * n * count / clock.Elapsed.TotalSeconds / 1e9);
            }
            results.Add((n, TrainThroughputBenchmark.Median(trials)));
        }
        var peak = results.Max(r => r.Gflops);
        output.WriteLine($"  matmul peak ({when}): {string.Join(", ", results.Select(r => $"n = {r.N}: {r.Gflops:N1}"))} GFLOP/s → {peak:N1}");
        return peak;
    }
}
