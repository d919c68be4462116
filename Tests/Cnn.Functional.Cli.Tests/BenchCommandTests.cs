using System.Text.Json;
using Cnn.Functional.Cli;

namespace Cnn.Functional.Tests;

/// <summary><c>cnnf bench</c>: a model's training and inference speed and the machine's matmul peak, as text and JSON; bad input in one line.</summary>
public class BenchCommandTests
{
    private static readonly string[] Quick = ["--steps", "3", "--batch-size", "16", "--inference-batch-size", "32", "--seconds", "0.1"];

    [Fact]
    public void Json_gives_training_and_inference_throughput_and_the_matmul_peak()
    {
        var (code, output, error) = Cnnf.Run(["bench", "lenet5", "--json", .. Quick]);
        Assert.Equal(0, code);
        Assert.Equal("", error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("lenet5", root.GetProperty("model").GetString());
        Assert.Equal(61_706, root.GetProperty("parameters").GetInt64());
        var training = root.GetProperty("training");
        Assert.Equal(16, training.GetProperty("batchSize").GetInt32());
        Assert.Equal(3, training.GetProperty("steps").GetInt32());
        Assert.True(training.GetProperty("samplesPerSecond").GetDouble() > 1);
        var flops = root.GetProperty("forwardFlopsPerSample").GetDouble();
        Assert.Equal(training.GetProperty("samplesPerSecond").GetDouble() * 3 * flops / 1e9, training.GetProperty("gflops").GetDouble(), 0.01);
        Assert.Equal(training.GetProperty("gflops").GetDouble() / root.GetProperty("matmulPeakGflops").GetDouble(),
            training.GetProperty("shareOfMatmulPeak").GetDouble(), 0.001);
        Assert.True(root.GetProperty("inference").GetProperty("samplesPerSecond").GetDouble() > 1);
        Assert.Equal(2, root.GetProperty("matmul").GetArrayLength());
    }

    [Fact]
    public void Text_names_the_model_and_each_figure()
    {
        var (code, output, _) = Cnnf.Run(["bench", "lenet5", .. Quick]);
        Assert.Equal(0, code);
        Assert.StartsWith("lenet5: 61,706 parameters", output);
        Assert.Contains("matmul peak: ", output);
        Assert.Contains("training (Trainer.Fit, Adam, batch 16, median of 3 steps): ", output);
        Assert.Contains("% of the matmul peak", output);
        Assert.Contains("inference (Inference.Predict, batch 32): ", output);
    }

    [Fact]
    public void A_resized_input_changes_the_network_that_is_measured()
    {
        // From 32×32 images LeNet-5's fc1 takes 16·6·6 = 576 inputs instead of 400: 176·120 = 21,120 more weights.
        var (code, output, _) = Cnnf.Run(["bench", "lenet5", "--image-size", "32", "--json", .. Quick]);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(61_706 + 21_120, doc.RootElement.GetProperty("parameters").GetInt64());
    }

    [Fact]
    public void A_resized_input_that_breaks_the_network_is_reported_as_the_shape_error_it_causes()
    {
        // From 8×8 images conv2's 5×5 window meets a 4×4 input (after conv1 and 2×2 pooling).
        var (code, output, error) = Cnnf.Run(["bench", "lenet5", "--image-size", "8", .. Quick]);
        Assert.Equal(CnnfApp.InputError, code);
        Assert.Equal("", output);
        Assert.StartsWith("cnnf: error: ", error);
        Assert.Contains("conv2", error);
    }

    [Theory]
    [InlineData("--steps", "0", "--steps must be at least 1 (got 0)")]
    [InlineData("--batch-size", "-4", "--batch-size must be at least 1 (got -4)")]
    [InlineData("--seconds", "0", "--seconds must be positive (got 0)")]
    [InlineData("--threads", "0", "--threads must be at least 1 (got 0)")]
    public void Bad_settings_are_refused_in_one_line(string option, string value, string message)
    {
        var (code, _, error) = Cnnf.Run("bench", "lenet5", option, value);
        Assert.Equal(CnnfApp.InputError, code);
        Assert.Equal($"cnnf: error: {message}\n", error.Replace("\r", ""));
    }

    [Fact]
    public void A_model_that_is_not_a_classifier_is_refused_naming_its_output()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cnnf-bench-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, Graph.Create("features", Shape.Image(1, 8, 8)).Then("conv", Layers.Conv(4, 3)).ToJson());
            var (code, output, _) = Cnnf.Run(["bench", path, "--json", .. Quick]);
            Assert.Equal(CnnfApp.InputError, code);
            using var doc = JsonDocument.Parse(output);
            var first = doc.RootElement.GetProperty("error").GetProperty("errors")[0];
            Assert.Equal("conv", first.GetProperty("path").GetString());
            Assert.Contains("not [4, 6, 6]", first.GetProperty("message").GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
