using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace Cnn.Functional.MLNet.Tests;

/// <summary>
/// The end-to-end claim: IDX data → MapValueToKey → the CNN trainer → Evaluate reaches a micro accuracy of
/// at least 0.87 with LeNet-5 after 3 epochs on the 60,000 training images, and the saved pipeline, loaded in a fresh
/// process, predicts exactly the same.
/// </summary>
[Collection(FashionCollection.Name)]
public sealed class EndToEndTests(FashionFixture fashion, ITestOutputHelper log) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cnnf-mlnet-").FullName;

    [Fact]
    public void LeNet5_reaches_87_percent_on_the_test_set_and_Evaluate_reads_the_trainers_columns()
    {
        var trained = fashion.LeNet;
        var metrics = fashion.Context.MulticlassClassification.Evaluate(trained.Model.Transform(fashion.Test));
        log.WriteLine($"LeNet-5, 3 epochs on 60,000: micro accuracy {metrics.MicroAccuracy:F4}, macro {metrics.MacroAccuracy:F4}, log-loss {metrics.LogLoss:F4}; fit {trained.FitSeconds:F1} s");
        Assert.True(metrics.MicroAccuracy >= 0.87, $"micro accuracy {metrics.MicroAccuracy:F4} < 0.87");
        // The trainer's own last epoch and ML.NET's evaluator agree on what the model is: a log-loss of probabilities.
        Assert.InRange(metrics.LogLoss, 0.1, 0.5);
        Assert.Equal(10, metrics.ConfusionMatrix.NumberOfClasses);
        Assert.Equal(3, trained.Scorer.Training!.History.Count);
    }

    [Fact]
    public void A_saved_pipeline_loaded_in_a_fresh_process_predicts_exactly_the_same()
    {
        var trained = fashion.LeNet;
        var path = Path.Combine(folder, "lenet5.zip");
        CnnModel.Save(fashion.Context, trained.Model, fashion.Train.Schema, path);
        var expected = PredictionReader.Lines(trained.Model, fashion.Test);

        // A fresh MLContext in this process.
        using (var loaded = CnnModel.Load(new MLContext(seed: 7), path))
            Assert.Equal(expected, PredictionReader.Lines(loaded.Model, fashion.Test));

        // A fresh process: the LoadCheck program loads the zip as a user's program would and writes its predictions.
        var output = Path.Combine(folder, "predictions.tsv");
        var clock = Stopwatch.StartNew();
        var (code, stdout, stderr) = RunLoadCheck(path, output);
        log.WriteLine($"fresh process: exit {code} in {clock.Elapsed.TotalSeconds:F1} s; {stdout.Trim()}");
        Assert.True(code == 0, $"LoadCheck failed ({code}): {stderr}");
        Assert.Equal(expected, File.ReadAllLines(output));
    }

    internal static (int Code, string Stdout, string Stderr) RunLoadCheck(params string[] args)
    {
        var program = typeof(LoadCheck.LoadCheck).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(program);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, stdout.Result, "timed out after 3 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
