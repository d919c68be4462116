using Cnn.Functional.Torch;

namespace Cnn.Functional.Tests.Training;

/// <summary><see cref="TrainingOptions.Augmentation"/>: the trainer augments training batches, reproducibly, and nothing else.</summary>
[Collection("Training")]
public sealed class AugmentedTrainingTests
{
    private static TrainingOptions Options(AugmentationPolicy? policy, long seed = 5) => new()
    {
        Epochs = 2, BatchSize = 32, LearningRate = 0.01, Seed = seed, Optimizer = Optimizers.Adam(), Augmentation = policy,
    };

    private static GraphModule Train(AugmentationPolicy? policy, long seed = 5)
    {
        using var data = Synthetic.Quadrants(192, seed: 4);
        var module = Synthetic.Module(Synthetic.SmallNet(dropout: false), 1);
        using var trainer = new Trainer(module, Options(policy, seed));
        trainer.Fit(data);
        return module;
    }

    [Fact]
    public void An_augmented_run_is_reproducible_bit_for_bit_and_differs_from_an_unaugmented_one()
    {
        var policy = new AugmentationPolicy(CropPadding: 1, HorizontalFlip: true);
        using var a = Train(policy);
        using var b = Train(policy);
        using var plain = Train(null);
        using var identity = Train(new AugmentationPolicy());

        Assert.True(Synthetic.SameBits(a, b), "same seed, same augmented batches, same weights");
        Assert.False(Synthetic.SameBits(a, plain), "augmentation must change what the net sees");
        Assert.True(Synthetic.SameBits(plain, identity), "the empty policy is no augmentation");
    }

    [Fact]
    public void Evaluation_is_never_augmented()
    {
        using var data = Synthetic.Quadrants(96, seed: 6);
        using var module = Synthetic.Module(Synthetic.SmallNet(dropout: false), 1);
        using var augmented = new Trainer(module, Options(new AugmentationPolicy(CropPadding: 3, HorizontalFlip: true, MaxTranslation: 2)));
        using var plain = new Trainer(module, Options(null));

        Assert.Equal(plain.Evaluate(data), augmented.Evaluate(data));
    }

    [Theory]
    [InlineData("crop=2,flip", 2, true, 0.0)]
    [InlineData(" translate=1.5 , crop=0 ", 0, false, 1.5)]
    [InlineData("none", 0, false, 0.0)]
    [InlineData("", 0, false, 0.0)]
    public void Policies_parse_from_the_CLI_form_and_print_back(string text, int crop, bool flip, double translate)
    {
        var policy = AugmentationPolicy.Parse(text);

        Assert.Equal(new AugmentationPolicy(crop, flip, translate), policy);
        Assert.Equal(policy, AugmentationPolicy.Parse(policy.ToString()));
    }

    [Theory]
    [InlineData("crop=-1")]
    [InlineData("crop=1.5")]
    [InlineData("rotate=10")]
    [InlineData("translate=NaN")]
    [InlineData("flip=1")]
    public void Bad_policies_are_refused_with_the_valid_forms(string text)
    {
        var error = Assert.Throws<FormatException>(() => AugmentationPolicy.Parse(text));

        Assert.Contains("crop=PIXELS", error.Message);
    }

    [Fact]
    public void Out_of_range_settings_are_refused_when_the_trainer_is_made()
    {
        using var module = Synthetic.Module(Synthetic.SmallNet(), 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(module, Options(new AugmentationPolicy(CropPadding: -2))));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(module, Options(new AugmentationPolicy(MaxTranslation: double.PositiveInfinity))));
    }
}
