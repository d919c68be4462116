using Cnn.Functional.Torch;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Explain;

/// <summary>The techniques that optimise an input: class model visualisation, feature inversion, FGSM.</summary>
[Collection("Training")]
public class OptimisationTests(TrainedSquares trained) : IClassFixture<TrainedSquares>
{
    private GraphModule Module => trained.Module;

    [Fact]
    public void Gradient_ascent_finds_an_image_with_a_high_score_for_the_class()
    {
        using var scope = NewDisposeScope();
        // The data are not centred: start from their mean image, the paper's zero.
        var mean = trained.Test.Data.Images.mean([0L]);
        float meanScore;
        using (no_grad()) meanScore = Module.forward(mean.unsqueeze(0))[0, 1].item<float>();
        var model = ClassModel.Visualize(Module, 1, steps: 50, start: mean);
        Assert.True(model.Score > meanScore + 1, $"score {model.Score:F2} from {meanScore:F2}");
        Assert.Equal((16, 16), (model.Image.Height, model.Image.Width));
    }

    [Fact]
    public void Inverting_the_input_node_gives_the_image_back()
    {
        using var scope = NewDisposeScope();
        var image = trained.Test.Data.Images[1];
        var inverted = Inversion.Reconstruct(Module, image, "input", new InversionOptions(Steps: 200, AlphaWeight: 0, VariationWeight: 1e-6));
        var original = Picture.FromTensor(image).Channels[0];
        var difference = original.Values.Zip(inverted.Reconstruction.Channels[0].Values, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(difference < 0.02, $"mean |x* − x₀| = {difference:F4}");
        Assert.True(inverted.RelativeError < 1e-3, $"relative error {inverted.RelativeError:E2}");
    }

    [Fact]
    public void Inverting_a_convolutional_node_matches_its_representation_and_finds_the_square()
    {
        using var scope = NewDisposeScope();
        var (image, square) = trained.WithSquare(1).Single();
        var inverted = Inversion.Reconstruct(Module, image, "relu2");
        Assert.True(inverted.RelativeError < 0.1, $"relative error {inverted.RelativeError:F3}");
        Assert.True(inverted.Objective[^1] < inverted.Objective[0] / 5);
        // The brightest 4×4 place of the reconstruction overlaps the square.
        var x = inverted.Reconstruction.Channels[0];
        var best = Enumerable.Range(0, 13).SelectMany(r => Enumerable.Range(0, 13).Select(c => (r, c)))
            .MaxBy(p => Enumerable.Range(0, 4).Sum(dy => Enumerable.Range(0, 4).Sum(dx => x[p.r + dy, p.c + dx])));
        Assert.True(Math.Abs(best.r - square.Top) <= 2 && Math.Abs(best.c - square.Left) <= 2, $"brightest at {best}, square at {square}");
    }

    [Fact]
    public void Fgsm_moves_every_pixel_by_at_most_epsilon_within_the_pixel_range_and_leaves_parameter_gradients_alone()
    {
        using var scope = NewDisposeScope();
        var images = trained.Test.Data.Images.narrow(0, 0, 8);
        var labels = trained.Test.Data.Labels.narrow(0, 0, 8);
        var gradients = Module.parameters().Select(p => p.grad?.clone()).ToList();
        var adversarial = Fgsm.Attack(Module, images, labels, 0.05);
        Assert.True((adversarial - images).abs().max().item<float>() <= 0.05f + 1e-6f);
        Assert.True(adversarial.min().item<float>() >= 0 && adversarial.max().item<float>() <= 1);
        Assert.True((adversarial - images).abs().max().item<float>() > 0.04f, "pixels move");
        Assert.All(Module.parameters().Zip(gradients), p => Assert.True(p.First.grad is null ? p.Second is null : (p.First.grad - p.Second!).abs().max().item<float>() == 0));
        Assert.Equal(0f, (Fgsm.Attack(Module, images, labels, 0) - images).abs().max().item<float>());
        Assert.Throws<ArgumentOutOfRangeException>(() => Fgsm.Attack(Module, images, labels, -0.1));
        Assert.Throws<ArgumentException>(() => Fgsm.Attack(Module, images, labels.narrow(0, 0, 4), 0.1));
    }

    [Fact]
    public void An_fgsm_curve_starts_at_the_clean_accuracy_and_falls()
    {
        var curve = Fgsm.Curve(Module, trained.Test.Data, [0, 0.1, 0.3]);
        Assert.Equal(trained.Accuracy, curve.At(0), 6);
        Assert.True(curve.At(0.3) < curve.At(0), $"{curve}");
        Assert.Throws<ArgumentException>(() => curve.At(0.2));
        using var scope = NewDisposeScope();
        var (image, _) = trained.WithSquare(1).Single();
        var example = Fgsm.Example(Module, image, 1, 0.3);
        Assert.Equal(1, example.OriginalPrediction);
        Assert.All(example.Perturbation.Channels[0].Values, v => Assert.Contains(v, new[] { -1f, 0f, 1f }));
    }

    [Fact]
    public void Adversarial_training_settings_out_of_range_are_refused_before_training()
    {
        Assert.Contains("Epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { Adversarial = new AdversarialTraining(0) }.Check()).Message);
        Assert.Contains("Fraction", Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { Adversarial = new AdversarialTraining(0.1, 1.5) }.Check()).Message);
    }
}
