using Cnn.Functional.Charts;
using Cnn.Functional.Dsl;
using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests;

/// <summary>The README's Explain example, compiled and run as written (on an untrained LeNet-5 and 200 test images).</summary>
[Collection("Chromium")]
public class ReadmeExampleTests
{
    [Fact]
    public void The_readme_example_runs_and_saves_a_page_of_three_charts()
    {
        using var sets = FashionMnist.Load(limit: 200);
        var testSet = sets.Test;
        manual_seed(1);
        using var module = GraphModule.Create(LeNet.LeNet5());
        using var scope = NewDisposeScope();
        var image = testSet.Images[0];
        var folder = Directory.GetCurrentDirectory();
        try
        {
            Directory.SetCurrentDirectory(Path.GetTempPath());
            // ---- as in README.md ----
            PixelMap saliency = Saliency.Map(module, image, target: 3);            // Simonyan et al. 2014
            ClassActivationMap cam = GradCam.Map(module, image, target: 3);        // Selvaraju et al. 2017; Cam.Map for GAP nets
            OcclusionMap occlusion = Occlusion.Map(module, image, target: 3);      // Zeiler & Fergus 2014
            RobustnessCurve fgsm = Fgsm.Curve(module, testSet, [0, 0.05, 0.1]);   // Goodfellow et al. 2015
            Embedding tsne = Tsne.Embed(CnnCodes.Of(module, testSet, "relu4"));    // van der Maaten & Hinton 2008, Barnes–Hut
            new HtmlReport("LeNet-5").Row([Plot.Saliency(Picture.FromTensor(image), saliency), Plot.Robustness(fgsm),
                                           Plot.Embedding(tsne)]).Save("lenet5.html");
            // ----
            Assert.Equal((28, 28), (cam.Upsampled.Height, occlusion.Probability.Height));
            Assert.Equal(200, tsne.Count);
            Assert.Equal(3, File.ReadAllText("lenet5.html").Split("<figure class=\"chart\"").Length - 1);
        }
        finally
        {
            File.Delete(Path.Combine(Path.GetTempPath(), "lenet5.html"));
            Directory.SetCurrentDirectory(folder);
        }
    }
}
