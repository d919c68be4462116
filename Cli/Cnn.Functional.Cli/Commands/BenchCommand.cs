using System.CommandLine;
using Cnn.Functional.Torch;

namespace Cnn.Functional.Cli;

/// <summary>
/// <c>cnnf bench MODEL</c>: how fast a model trains and predicts on this machine (<see cref="Speed.Measure"/>, on random
/// examples of its input shape), in samples/s and GFLOP/s, set against the machine's measured matrix-multiply
/// throughput. BENCHMARKS.md compares the library with hand-written TorchSharp and TorchVision; this is the same
/// measurement for any model.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = ModelSource.Help };
        var batch = new Option<int>("--batch-size") { Description = "Examples per training step.", DefaultValueFactory = _ => 64 };
        var steps = new Option<int>("--steps") { Description = "Training steps timed (after two warm-up steps); the median counts.", DefaultValueFactory = _ => 20 };
        var inferenceBatch = new Option<int>("--inference-batch-size") { Description = "Examples per inference pass.", DefaultValueFactory = _ => 256 };
        var seconds = new Option<double>("--seconds") { Description = "Seconds of timed inference.", DefaultValueFactory = _ => 2 };
        var imageSize = new Option<int?>("--image-size") { Description = "Resize a square image input to S×S first (e.g. 64 for ResNet-18 at 64×64)." };
        var threads = new Option<int?>("--threads") { Description = "libtorch's intra-op threads (default: one per core)." };
        var json = CliOutput.JsonOption();
        var command = new Command("bench", "Measure how fast a model trains and predicts here: samples/s, GFLOP/s, and the share of the machine's matmul peak.")
        {
            model, batch, steps, inferenceBatch, seconds, imageSize, threads, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            try
            {
                var graph = ModelSource.Load(parse.GetValue(model)!);
                if (parse.GetValue(imageSize) is { } size) graph = Resized(graph, size);
                if (parse.GetValue(threads) is { } n)
                {
                    if (n < 1) throw new ArgumentException($"--threads must be at least 1 (got {n})");
                    TorchSharp.torch.set_num_threads(n);
                }
                var options = new SpeedOptions
                {
                    BatchSize = Positive(parse.GetValue(batch), "--batch-size"),
                    Steps = Positive(parse.GetValue(steps), "--steps"),
                    InferenceBatchSize = Positive(parse.GetValue(inferenceBatch), "--inference-batch-size"),
                    InferenceSeconds = parse.GetValue(seconds) is var s && s > 0 ? s : throw new ArgumentException($"--seconds must be positive (got {s})"),
                };
                var report = Speed.Measure(graph, options);
                var output = parse.InvocationConfiguration.Output;
                output.Write(asJson ? Json(report) : Text(report));
                return 0;
            }
            catch (Exception e) when (e is GraphException or ArgumentException or IOException)
            {
                return CliOutput.Fail(parse, asJson, e);
            }
        });
        return command;
    }

    private static int Positive(int value, string option) =>
        value >= 1 ? value : throw new ArgumentException($"{option} must be at least 1 (got {value})");

    /// <summary>The graph with its image input made <paramref name="size"/>×<paramref name="size"/>, channels kept.</summary>
    private static Graph Resized(Graph graph, int size)
    {
        if (graph.Nodes[0].Layer is not Input { Shape.Rank: 3 } input)
            throw new GraphException(new GraphError(graph.Nodes[0].Path, "input", "--image-size needs an image input of shape C×H×W"));
        if (size < 1) throw new ArgumentException($"--image-size must be at least 1 (got {size})");
        return graph.WithInput(Shape.Image(input.Shape.Channels, size, size));
    }

    internal static string Text(SpeedReport r)
    {
        var peak = r.Matmul.MaxBy(m => m.Gflops)!;
        return $"{r.Model}: {r.Parameters:N0} parameters, {r.ForwardFlopsPerSample / 1e6:N1} MFLOP forward per sample, {r.Threads} torch threads\n" +
               $"matmul peak: {peak.Gflops:N1} GFLOP/s (n = {peak.Size})\n" +
               $"training (Trainer.Fit, Adam, batch {r.BatchSize}, median of {r.Steps} steps): {r.TrainSamplesPerSecond:N1} samples/s, " +
               $"{r.TrainGflops:N1} GFLOP/s, {100 * r.TrainShareOfMatmulPeak:N0} % of the matmul peak\n" +
               $"inference (Inference.Predict, batch {r.InferenceBatchSize}): {r.InferenceSamplesPerSecond:N1} samples/s, {r.InferenceGflops:N1} GFLOP/s\n";
    }

    internal static string Json(SpeedReport r) => CliOutput.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("model", r.Model);
        w.WriteNumber("parameters", r.Parameters);
        w.WriteNumber("forwardFlopsPerSample", r.ForwardFlopsPerSample);
        w.WriteNumber("threads", r.Threads);
        w.WriteStartArray("matmul");
        foreach (var m in r.Matmul)
        {
            w.WriteStartObject();
            w.WriteNumber("size", m.Size);
            w.WriteNumber("gflops", Math.Round(m.Gflops, 2));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("matmulPeakGflops", Math.Round(r.MatmulPeakGflops, 2));
        w.WriteStartObject("training");
        w.WriteNumber("batchSize", r.BatchSize);
        w.WriteNumber("steps", r.Steps);
        w.WriteNumber("samplesPerSecond", Math.Round(r.TrainSamplesPerSecond, 2));
        w.WriteNumber("gflops", Math.Round(r.TrainGflops, 3));
        w.WriteNumber("shareOfMatmulPeak", Math.Round(r.TrainShareOfMatmulPeak, 4));
        w.WriteEndObject();
        w.WriteStartObject("inference");
        w.WriteNumber("batchSize", r.InferenceBatchSize);
        w.WriteNumber("samplesPerSecond", Math.Round(r.InferenceSamplesPerSecond, 2));
        w.WriteNumber("gflops", Math.Round(r.InferenceGflops, 3));
        w.WriteEndObject();
        w.WriteEndObject();
    });
}
