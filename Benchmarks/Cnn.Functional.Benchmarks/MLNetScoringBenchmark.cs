using System.Diagnostics;
using System.Globalization;
using Cnn.Functional.Dsl;
using Cnn.Functional.MLNet;
using Cnn.Functional.Torch;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Cnn.Functional.Benchmarks;

/// <summary>
/// Batch scoring through the ML.NET transformer against the raw module's forward pass at the same batch size, on
/// Fashion-MNIST's 10,000 test images with LeNet-5. "raw" runs <c>module.forward</c> on the images already cut into
/// batch tensors — the ceiling. "transformer" cursors <c>scorer.Transform(view).Score</c> over an
/// <see cref="IDataView"/> of the same images: reading each row's feature vector, copying it into the batch tensor,
/// the forward pass, the softmax, and handing each row its scores. The two alternate (ABBA) in one process. On a
/// shared machine the load drifts between passes, so two figures are reported: the median over rounds of the
/// ratio within each round (neighbouring passes see similar load), and the ratio of throughputs per CPU-second of
/// the process (work done, whatever share of the machine the process got). The PredictionEngine (one example per
/// forward pass) is shown for scale.
/// </summary>
internal static class MLNetScoringBenchmark
{
    public static int Run(TextWriter output, int batchSize, int rounds)
    {
        if (batchSize < 1 || rounds < 1) throw new ArgumentException("batch size and rounds must be at least 1");
        var context = new MLContext(seed: 1);
        using var data = FashionMnist.Load();
        var train = context.Data.TakeRows(context.Data.LoadFromDataset(data.Train), 512);
        var test = context.Data.LoadFromDataset(data.Test);
        // Weights do not change the cost of a forward pass: one short epoch makes a realistic fitted scorer.
        using var model = context.Transforms.Conversion.MapValueToKey("Label")
            .Append(context.MulticlassClassification.Trainers.Cnn(ModelZoo.Get("lenet5"), new CnnTrainerOptions
            {
                Training = new TrainingOptions { Epochs = 1, BatchEventInterval = 0 },
                ScoringBatchSize = batchSize,
            })).Fit(train);
        var scorer = model.LastTransformer;
        var module = scorer.Network.Module;
        var count = (int)data.Test.Count;
        var batches = data.Test.Images.split(batchSize).Select(b => b.contiguous().DetachFromDisposeScope()).ToArray();

        Measure Raw()
        {
            var start = Measure.Now();
            using var noGrad = no_grad();
            foreach (var batch in batches)
            {
                using var scope = NewDisposeScope();
                module.forward(batch);
            }
            return Measure.Now() - start;
        }

        Measure Transformer()
        {
            var start = Measure.Now();
            var scored = scorer.Transform(test);
            var column = scored.Schema["Score"];
            using var cursor = scored.GetRowCursor([column]);
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            var value = default(VBuffer<float>);
            var rows = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
                rows++;
            }
            if (rows != count) throw new InvalidOperationException($"scored {rows} rows of {count}");
            return Measure.Now() - start;
        }

        output.WriteLine($"ML.NET scoring benchmark — LeNet-5, {count:N0} Fashion-MNIST test images, batch {batchSize}, {rounds} rounds (ABBA), " +
                         $"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
        Raw();
        Transformer();
        var raw = new List<Measure>();
        var transformer = new List<Measure>();
        for (var r = 0; r < rounds; r++)
        {
            if (r % 2 == 0)
            {
                raw.Add(Raw());
                transformer.Add(Transformer());
            }
            else
            {
                transformer.Add(Transformer());
                raw.Add(Raw());
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {r + 1,2}: raw forward {count / raw[^1].Wall,7:N0} images/s   transformer {count / transformer[^1].Wall,7:N0} images/s   ratio {raw[^1].Wall / transformer[^1].Wall:F3}"));
        }
        var engine = context.Model.CreatePredictionEngine<Example, Prediction>(scorer);
        float[] images;
        using (var scope = NewDisposeScope()) images = data.Test.Images.narrow(0, 0, 1000).data<float>().ToArray();
        var engineClock = Stopwatch.StartNew();
        for (var i = 0; i < 1000; i++) engine.Predict(new Example { Features = images[(i * 784)..((i + 1) * 784)] });
        var perRow = 1000 / engineClock.Elapsed.TotalSeconds;

        var pairedRatio = Median(raw.Zip(transformer, (a, b) => a.Wall / b.Wall).ToList());
        var (rawCpu, transformerCpu) = (raw.Sum(m => m.Cpu), transformer.Sum(m => m.Cpu));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median over rounds: raw forward {count / Median(raw.Select(m => m.Wall).ToList()):N0} images/s, transformer {count / Median(transformer.Select(m => m.Wall).ToList()):N0} images/s; " +
            $"ratio transformer/raw: median of per-round ratios {pairedRatio:F3}, per CPU-second {rawCpu / transformerCpu:F3} " +
            $"({count * rounds / rawCpu:N0} vs {count * rounds / transformerCpu:N0} images per CPU-second) — the bar is 0.9; " +
            $"PredictionEngine, one row per pass: {perRow:N0} images/s"));
        foreach (var b in batches) b.Dispose();
        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Wall-clock and process CPU seconds.</summary>
    private readonly record struct Measure(double Wall, double Cpu)
    {
        private static readonly Stopwatch Clock = Stopwatch.StartNew();

        public static Measure Now() => new(Clock.Elapsed.TotalSeconds, Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds);

        public static Measure operator -(Measure a, Measure b) => new(a.Wall - b.Wall, a.Cpu - b.Cpu);
    }

    private sealed class Example
    {
        [VectorType(1, 28, 28)] public float[] Features = [];
    }

    private sealed class Prediction
    {
        public float[] Score = [];
    }
}
