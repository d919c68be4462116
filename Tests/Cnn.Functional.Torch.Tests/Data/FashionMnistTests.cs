using System.IO.Compression;
using Cnn.Functional.Torch;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Data;

/// <summary>The real Fashion-MNIST, loaded once for the tests that need all of it.</summary>
public sealed class FashionMnistFixture : IDisposable
{
    public TrainTest Data { get; } = FashionMnist.Load();

    public void Dispose() => Data.Dispose();
}

[CollectionDefinition("Fashion-MNIST")]
public sealed class FashionMnistCollection : ICollectionFixture<FashionMnistFixture>;

/// <summary>
/// The real data set from Debian's dataset-fashion-mnist (scripts/setup.sh installs it), checked against the
/// published counts and against the gzipped files decoded independently here with System.IO.Compression.
/// </summary>
[Collection("Fashion-MNIST")]
public class FashionMnistTests(FashionMnistFixture fixture)
{
    private static string FileOf(string name) => Path.Combine(FashionMnist.DefaultFolder, name + ".gz");

    /// <summary>The file's decompressed bytes after its IDX header (all, or the first <paramref name="count"/>), read without the library.</summary>
    private static byte[] Payload(string name, int headerBytes, int count = int.MaxValue)
    {
        using var gzip = new GZipStream(File.OpenRead(FileOf(name)), CompressionMode.Decompress);
        gzip.ReadExactly(new byte[headerBytes]);
        using var memory = new MemoryStream();
        if (count == int.MaxValue) gzip.CopyTo(memory);
        else memory.Write(new BinaryReader(gzip).ReadBytes(count));
        return memory.ToArray();
    }

    [Fact]
    public void Both_sets_have_the_published_sizes_and_shapes()
    {
        var (train, test) = (fixture.Data.Train, fixture.Data.Test);
        Assert.Equal(new long[] { 60_000, 1, 28, 28 }, train.Images.shape);
        Assert.Equal(new long[] { 10_000, 1, 28, 28 }, test.Images.shape);
        Assert.Equal(new long[] { 60_000 }, train.Labels.shape);
        Assert.Equal(new long[] { 10_000 }, test.Labels.shape);
        Assert.All(new[] { train, test }, d =>
        {
            Assert.Equal((ScalarType.Float32, ScalarType.Int64), (d.Images.dtype, d.Labels.dtype));
            Assert.Equal(Shape.Image(1, 28, 28), d.ExampleShape);
            Assert.Equal(10, d.Classes);
            Assert.Equal(FashionMnist.ClassNames, d.ClassNames);
        });
        Assert.Equal(("Fashion-MNIST train", "Fashion-MNIST test"), (train.Name, test.Name));
        Assert.Equal(["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
            FashionMnist.ClassNames);
    }

    [Fact]
    public void Every_class_has_6000_training_and_1000_test_examples()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(Enumerable.Repeat(6_000L, 10), fixture.Data.Train.Labels.bincount(null).data<long>().ToArray());
        Assert.Equal(Enumerable.Repeat(1_000L, 10), fixture.Data.Test.Labels.bincount(null).data<long>().ToArray());
    }

    [Fact]
    public void Pixels_fill_exactly_the_range_0_to_1()
    {
        using var scope = NewDisposeScope();
        foreach (var images in new[] { fixture.Data.Train.Images, fixture.Data.Test.Images })
        {
            Assert.Equal(0f, images.min().item<float>());
            Assert.Equal(1f, images.max().item<float>());
        }
    }

    [Fact]
    public void The_first_image_and_labels_match_the_files_decoded_independently()
    {
        var pixels = Payload("train-images-idx3-ubyte", 16, count: 784);
        var labels = Payload("train-labels-idx1-ubyte", 8);
        using var scope = NewDisposeScope();
        var firstImage = fixture.Data.Train.Images[0];
        var firstSum = pixels.Take(784).Sum(p => (long)p);
        Assert.Equal(firstSum, (long)Math.Round(firstImage.sum().item<float>() * 255));
        Assert.Equal(pixels.Take(784).Select(p => p / 255f), firstImage.flatten().data<float>().ToArray());
        Assert.Equal(labels.Select(l => (long)l), fixture.Data.Train.Labels.data<long>().ToArray());
        // The first training example is an ankle boot (label 9) whose 784 bytes sum to this value.
        Assert.Equal((9L, 76_247L), (labels[0], firstSum));
    }

    [Theory]
    [InlineData("train-images-idx3-ubyte", true)]
    [InlineData("t10k-images-idx3-ubyte", false)]
    public void Every_pixel_matches_the_file_decoded_independently(string name, bool train)
    {
        var expected = Payload(name, 16);
        using var scope = NewDisposeScope();
        var images = (train ? fixture.Data.Train : fixture.Data.Test).Images;
        Assert.Equal(expected.Length, images.numel());
        // Exactly byte/255 in float32, pixel for pixel.
        var pixels = tensor(expected).to_type(ScalarType.Float32).div_(255f);
        Assert.True(images.flatten().eq(pixels).all().item<bool>(), $"{name}: the loaded pixels differ from the file's bytes / 255");
    }

    [Fact]
    public void A_limit_loads_the_first_examples_of_each_set()
    {
        using var small = FashionMnist.Load(limit: 100);
        using var scope = NewDisposeScope();
        Assert.Equal((100L, 100L), (small.Train.Count, small.Test.Count));
        Assert.True(small.Train.Images.eq(fixture.Data.Train.Images[..100]).all().item<bool>());
        Assert.True(small.Test.Labels.eq(fixture.Data.Test.Labels[..100]).all().item<bool>());
    }
}
