using Cnn.Functional.Torch;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Explain;

/// <summary>
/// Known answers: on images whose class is decided by a bright square, saliency, occlusion, CAM and Grad-CAM put most
/// of their mass inside the square (with a one-pixel margin: 14% of the image).
/// </summary>
[Collection("Training")]
public class AttributionTests(TrainedSquares trained, ITestOutputHelper output) : IClassFixture<TrainedSquares>
{
    private const int Images = 20;

    private double MeanMass(string method, Func<Tensor, PixelMap> map)
    {
        Assert.True(trained.Accuracy > 0.95, $"the GAP net learns the squares: test accuracy {trained.Accuracy:P1}");
        var masses = trained.WithSquare(Images).Select(s =>
        {
            using var image = s.Image;
            var m = map(image);
            Assert.Equal((BrightSquares.Size, BrightSquares.Size), (m.Height, m.Width));
            return m.MassInside(BrightSquares.Around(s.Square));
        }).ToList();
        output.WriteLine($"{method}: mass inside the square, mean {masses.Average():P1}, min {masses.Min():P1} over {Images} images");
        return masses.Average();
    }

    [Fact]
    public void Saliency_puts_most_of_its_mass_on_the_square() =>
        Assert.True(MeanMass("saliency", image => Saliency.Map(trained.Module, image, 1)) > 0.5);

    [Fact]
    public void Occlusion_sensitivity_puts_most_of_its_mass_on_the_square() =>
        Assert.True(MeanMass("occlusion", image => Occlusion.Map(trained.Module, image, 1, size: 4).Sensitivity) > 0.5);

    [Fact]
    public void Cam_puts_most_of_its_mass_on_the_square() =>
        Assert.True(MeanMass("CAM", image => Cam.Map(trained.Module, image, 1).Upsampled) > 0.5);

    [Fact]
    public void GradCam_puts_most_of_its_mass_on_the_square() =>
        Assert.True(MeanMass("Grad-CAM", image => GradCam.Map(trained.Module, image, 1, "features").Upsampled) > 0.5);

    [Fact]
    public void GradCam_on_a_gap_net_is_cam_up_to_a_factor()
    {
        // Selvaraju et al. §3.1: with GAP and one linear layer, α_k^c = w_k^c / Z, so the maps agree after ReLU and scaling.
        var (image, _) = trained.WithSquare(1).Single();
        using (image)
        {
            var cam = Cam.Map(trained.Module, image, 1).Map;
            var grad = GradCam.Map(trained.Module, image, 1, "features").Map;
            var relu = cam.Values.Select(v => Math.Max(0f, v)).ToArray();
            var scale = relu.Max() / grad.Max;
            for (var i = 0; i < relu.Length; i++) Assert.Equal(relu[i], grad.Values[i] * scale, 3);
        }
    }

    [Fact]
    public void The_default_gradcam_node_is_the_last_one_with_maps() =>
        Assert.Equal("features", GradCam.LastSpatialNode(trained.Module.Graph));

    [Fact]
    public void Occlusion_over_a_blank_place_keeps_the_baseline()
    {
        var (image, square) = trained.WithSquare(1).Single();
        using (image)
        {
            var map = Occlusion.Map(trained.Module, image, 1, size: 4, stride: 2);
            Assert.InRange(map.Baseline, 0.9f, 1f);
            // Centred on the square, the occluder hides it and the probability of "square" falls below a half.
            Assert.True(map.Probability[square.Top + 2, square.Left + 2] < 0.5f, $"p = {map.Probability[square.Top + 2, square.Left + 2]}");
            var unchanged = map.Probability.Values.Count(p => p > map.Baseline - 0.05f);
            Assert.True(unchanged > 128, $"away from the square the occluder hardly matters: {unchanged} of 256 pixels keep the baseline");
        }
    }
}
