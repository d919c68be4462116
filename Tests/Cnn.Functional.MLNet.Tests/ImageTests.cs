using Cnn.Functional.Torch;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using static TorchSharp.torch;

namespace Cnn.Functional.MLNet.Tests;

/// <summary>
/// Images from files through ML.NET's ImageAnalytics (LoadImages → ResizeImages → ExtractPixels) feed the CNN
/// trainer and scorer: the pixel column's dimensions [C, H, W] are the graph's input.
/// </summary>
[Collection(FashionCollection.Name)]
public sealed class ImageTests(FashionFixture fashion) : IDisposable
{
    private const int Count = 120;

    private readonly string folder = Directory.CreateTempSubdirectory("cnnf-mlnet-images-").FullName;

    public sealed class ImageFile
    {
        public string Path = "";
        public uint Label;
    }

    // The first test images as 28×28 PNG files, grey in all three colour channels.
    private IDataView WriteImages()
    {
        byte[] pixels;
        long[] labels;
        using (var scope = NewDisposeScope())
        {
            pixels = fashion.Data.Test.Images.narrow(0, 0, Count).mul(255).round().to_type(ScalarType.Byte).data<byte>().ToArray();
            labels = fashion.Data.Test.Labels.narrow(0, 0, Count).data<long>().ToArray();
        }
        var rows = new List<ImageFile>();
        for (var i = 0; i < Count; i++)
        {
            var rgba = new byte[28 * 28 * 4];
            for (var p = 0; p < 28 * 28; p++)
            {
                var grey = pixels[i * 784 + p];
                (rgba[4 * p], rgba[4 * p + 1], rgba[4 * p + 2], rgba[4 * p + 3]) = (grey, grey, grey, 255);
            }
            var name = $"image{i}.png";
            using var image = MLImage.CreateFromPixels(28, 28, MLPixelFormat.Rgba32, rgba);
            image.Save(System.IO.Path.Combine(folder, name));
            rows.Add(new ImageFile { Path = name, Label = (uint)labels[i] });
        }
        return fashion.Context.Data.LoadFromEnumerable(rows);
    }

    private EstimatorChain<ImagePixelExtractingTransformer> Pixels(bool interleave = false, ImagePixelExtractingEstimator.ColorBits colors = ImagePixelExtractingEstimator.ColorBits.Red) =>
        fashion.Context.Transforms.LoadImages("Image", folder, "Path")
            .Append(fashion.Context.Transforms.ResizeImages("Image", 28, 28))
            .Append(fashion.Context.Transforms.ExtractPixels("Features", "Image", colorsToExtract: colors, interleavePixelColors: interleave, scaleImage: 1 / 255f));

    [Fact]
    public void Image_files_score_as_the_same_images_read_from_IDX()
    {
        var files = WriteImages();
        using var pixels = Pixels().Fit(files);
        var features = pixels.Transform(files);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28), features.Schema["Features"].Type);
        var scorer = fashion.LeNet.Scorer;
        var fromFiles = PredictionReader.Read(scorer.Transform(features));
        var fromIdx = PredictionReader.Read(scorer.Transform(fashion.TestPrefix(Count)));
        Assert.Equal(Count, fromFiles.Count);
        for (var i = 0; i < Count; i++)
        {
            Assert.Equal(fromIdx[i].Key, fromFiles[i].Key);
            for (var k = 0; k < 10; k++) Assert.Equal(fromIdx[i].Scores[k], fromFiles[i].Scores[k], 4);
        }
    }

    [Fact]
    public void The_trainer_fits_on_image_files_and_refuses_interleaved_colour_pixels()
    {
        var files = WriteImages();
        var pipeline = Pixels()
            .Append(fashion.Context.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue))
            .Append(fashion.Context.MulticlassClassification.Trainers.Cnn(fashion.LeNet.Scorer.Network.Graph, new CnnTrainerOptions
            {
                InitialWeights = fashion.LeNet.Scorer.Network,
                Training = new TrainingOptions { Epochs = 1, BatchSize = 20, LearningRate = 1e-4, BatchEventInterval = 0 },
            }));
        using var model = pipeline.Fit(files);
        var metrics = fashion.Context.MulticlassClassification.Evaluate(model.Transform(files));
        Assert.True(metrics.MicroAccuracy > 0.8, $"accuracy {metrics.MicroAccuracy:F4} on the {Count} image files");

        var colour = Pixels(interleave: true, colors: ImagePixelExtractingEstimator.ColorBits.Rgb).Fit(files).Transform(files);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => fashion.LeNet.Scorer.Transform(colour));
        Assert.Contains("got a vector of 2352 Single values with dimensions [28, 28, 3]", error.Message);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
