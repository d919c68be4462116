using System.Globalization;
using System.Text.RegularExpressions;
using Cnn.Functional;
using Cnn.Functional.Dsl;
using Cnn.Functional.Torch;
using Xunit.Abstractions;

namespace Cnn.Functional.Tests;

/// <summary>
/// The README's first example, compiled and run exactly as written (the lines between the markers are compared with the
/// README by <see cref="ReadmeDriftTests"/>): a small CNN from the DSL, its summary, brief training on real
/// Fashion-MNIST and its test accuracy.
/// </summary>
[Collection("Console")]
public class ReadmeQuickStartTests(ITestOutputHelper log)
{
    [Fact]
    public void The_csharp_quick_start_prints_a_summary_and_a_test_accuracy_well_above_chance()
    {
        var printed = ConsoleCapture.Run(() =>
        {
            // ---- README: quick start ----
            Graph net = Chain.Input(1, 28, 28)
                .Conv(8, 3, padding: 1).Relu().MaxPool(2)
                .Conv(16, 3, padding: 1).Relu().MaxPool(2)
                .Flatten().Dense(10)
                .ToGraph("small-cnn");
            Console.Write(net.Summarize().ToTable());

            using var data = FashionMnist.Load(limit: 2000);    // the first 2,000 training and test images
            using var module = GraphModule.Create(net);
            using var trainer = new Trainer(module, new TrainingOptions { Epochs = 2 });
            trainer.Fit(data.Train);
            Console.WriteLine($"test accuracy {trainer.Evaluate(data.Test).Accuracy:P1}");
            // ----
        });
        log.WriteLine(printed);
        Assert.StartsWith("Model: small-cnn    input [1, 28, 28]", printed);
        Assert.Contains("Parameters: 9,098 ", printed);
        var accuracy = ConsoleCapture.Accuracy(printed, @"test accuracy (\d+(?:[.,]\d+)?)\s?%");
        Assert.InRange(accuracy, 50, 100);  // two epochs on 2,000 images: far above chance (10%)
    }
}

/// <summary>Console output of examples that print, captured one example at a time (the "Console" collection is not run in parallel with itself).</summary>
public static class ConsoleCapture
{
    private static readonly Lock Gate = new();

    public static string Run(Action example)
    {
        lock (Gate)
        {
            var previous = Console.Out;
            var captured = new StringWriter(CultureInfo.InvariantCulture);
            Console.SetOut(captured);
            try { example(); }
            finally { Console.SetOut(previous); }
            return captured.ToString();
        }
    }

    /// <summary>The percentage in the first match of <paramref name="pattern"/>'s group 1 (either decimal separator).</summary>
    public static double Accuracy(string printed, string pattern)
    {
        var match = Regex.Match(printed, pattern);
        Assert.True(match.Success, printed);
        return double.Parse(match.Groups[1].Value.Replace(',', '.'), CultureInfo.InvariantCulture);
    }
}
