using System.Text.Json;
using Cnn.Functional.Cli;

namespace Cnn.Functional.Tests;

/// <summary><c>cnnf train</c>'s recipe options: optimiser, augmentation, resume, and transfer (weights, freeze, learning-rate scales).</summary>
public sealed class TrainTransferCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cnnf-cli-transfer-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => Cnnf.Run(args);

    private static JsonElement Ok((int Code, string Out, string Err) run)
    {
        Assert.True(run.Code == 0, run.Err + run.Out);
        return JsonDocument.Parse(run.Out).RootElement.Clone();
    }

    [Fact]
    public void Fine_tuning_from_a_checkpoint_with_a_frozen_trunk_starts_where_the_source_ended()
    {
        var source = Path.Combine(folder, "source.ckpt");
        var trained = Ok(Run("train", "--epochs", "2", "--limit", "1024", "--checkpoint", source, "--json"));

        var tuned = Ok(Run("train", "--epochs", "1", "--limit", "1024", "--weights", source, "--freeze", "conv1", "--freeze", "conv2",
            "--lr-scale", "fc1=0.1", "--optimizer", "sgd", "--lr", "0.01", "--augment", "crop=2,flip", "--json"));
        var scratch = Ok(Run("train", "--epochs", "1", "--limit", "1024", "--optimizer", "sgd", "--lr", "0.01", "--json"));

        var first = tuned.GetProperty("history")[0].GetProperty("loss").GetDouble();
        var sourceLast = trained.GetProperty("history")[1].GetProperty("loss").GetDouble();
        var scratchFirst = scratch.GetProperty("history")[0].GetProperty("loss").GetDouble();
        Assert.True(first < scratchFirst, $"transferred weights start ahead: first-epoch loss {first:F3} vs {scratchFirst:F3} from scratch");
        Assert.True(tuned.GetProperty("testAccuracy").GetDouble() > 0.5, $"source ended at loss {sourceLast:F3}");
    }

    [Fact]
    public void A_run_resumed_from_its_checkpoint_ends_like_an_uninterrupted_one()
    {
        var path = Path.Combine(folder, "run.ckpt");
        var straight = Ok(Run("train", "--epochs", "2", "--limit", "512", "--augment", "translate=1", "--json"));
        Ok(Run("train", "--epochs", "1", "--limit", "512", "--augment", "translate=1", "--checkpoint", path, "--json"));

        var resumed = Ok(Run("train", "--epochs", "2", "--limit", "512", "--augment", "translate=1", "--resume", path, "--json"));

        Assert.Equal(straight.GetProperty("testAccuracy").GetDouble(), resumed.GetProperty("testAccuracy").GetDouble());
        Assert.Equal(straight.GetProperty("testLoss").GetDouble(), resumed.GetProperty("testLoss").GetDouble());
    }

    [Fact]
    public void An_initialisation_plan_with_conv_kmeans_filters_from_the_training_images_trains()
    {
        var (code, output, error) = Run("train", "--epochs", "1", "--limit", "1024", "--init", "he-normal; conv1=conv-kmeans(patches=2000, iterations=5)");

        Assert.True(code == 0, error);
        Assert.Contains("initialised 5 layers with he-normal; conv1=conv-kmeans", output);
        Assert.Contains("test accuracy", output);
    }

    [Theory]
    [InlineData("--init", "gaussian", "he-normal")]
    [InlineData("--init", "standard; fc3=dirac", "fc3")]
    [InlineData("--augment", "rotate=5", "rotate=5")]
    [InlineData("--lr-scale", "fc1", "PATH=FACTOR")]
    [InlineData("--lr-scale", "nowhere=0.1", "nowhere")]
    [InlineData("--freeze", "nowhere", "nowhere")]
    [InlineData("--weights", "/nonexistent.ckpt", "/nonexistent.ckpt")]
    public void Bad_recipe_options_are_one_clear_line(string option, string value, string named)
    {
        var (code, _, error) = Run("train", "--epochs", "1", "--limit", "64", option, value);

        Assert.Equal(CnnfApp.InputError, code);
        Assert.StartsWith("cnnf: error:", error);
        Assert.Contains(named, error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }
}
