using Cnn.Functional.Torch;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Data;

/// <summary>Any folder of IDX files with Fashion-MNIST's names loads; a missing one says what to do.</summary>
public class FashionMnistFolderTests
{
    /// <summary>Writes the four files with <paramref name="train"/> and <paramref name="test"/> examples of 28×28 pixels.</summary>
    private static void WriteFolder(TempFolder folder, int train, int test, bool gzip, string? skip = null)
    {
        var files = new Dictionary<string, byte[]>
        {
            ["train-images-idx3-ubyte"] = IdxFiles.Images(train, 28, 28, IdxFiles.RandomBytes(train * 784, seed: 1)),
            ["train-labels-idx1-ubyte"] = IdxFiles.Labels(IdxFiles.RandomBytes(train, seed: 2, below: 10)),
            ["t10k-images-idx3-ubyte"] = IdxFiles.Images(test, 28, 28, IdxFiles.RandomBytes(test * 784, seed: 3)),
            ["t10k-labels-idx1-ubyte"] = IdxFiles.Labels(IdxFiles.RandomBytes(test, seed: 4, below: 10)),
        };
        foreach (var (name, bytes) in files.Where(f => f.Key != skip))
        {
            folder.Write(gzip ? name + ".gz" : name, gzip ? IdxFiles.Gzip(bytes) : bytes);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_folder_of_generated_files_loads_gzipped_or_not(bool gzip)
    {
        using var folder = new TempFolder();
        WriteFolder(folder, train: 12, test: 5, gzip);
        using var data = FashionMnist.Load(folder.Path);
        Assert.Equal(new long[] { 12, 1, 28, 28 }, data.Train.Images.shape);
        Assert.Equal(new long[] { 5, 1, 28, 28 }, data.Test.Images.shape);
        using var scope = NewDisposeScope();
        Assert.Equal(IdxFiles.RandomBytes(5, seed: 4, below: 10).Select(b => (long)b), data.Test.Labels.data<long>().ToArray());
        Assert.Equal(IdxFiles.RandomBytes(12 * 784, seed: 1)[..784].Select(p => p / 255f), data.Train.Images[0].flatten().data<float>().ToArray());
    }

    [Fact]
    public void A_limit_larger_than_a_set_loads_all_of_it()
    {
        using var folder = new TempFolder();
        WriteFolder(folder, train: 12, test: 5, gzip: true);
        using var data = FashionMnist.Load(folder.Path, limit: 8);
        Assert.Equal((8L, 5L), (data.Train.Count, data.Test.Count));
    }

    [Fact]
    public void The_test_set_loads_alone_without_the_training_files()
    {
        using var folder = new TempFolder();
        WriteFolder(folder, train: 3, test: 5, gzip: true, skip: "train-images-idx3-ubyte");
        using var test = FashionMnist.LoadTest(folder.Path, limit: 4);
        Assert.Equal(("Fashion-MNIST test", 4L), (test.Name, test.Count));
        using var scope = NewDisposeScope();
        Assert.Equal(IdxFiles.RandomBytes(5, seed: 4, below: 10)[..4].Select(b => (long)b), test.Labels.data<long>().ToArray());
        var error = Assert.Throws<DataException>(() => FashionMnist.LoadTest("/nonexistent/fashion"));
        Assert.Contains("`sudo apt-get install dataset-fashion-mnist`", error.Message);
    }

    [Fact]
    public void A_missing_folder_says_how_to_install_the_data()
    {
        var error = Assert.Throws<DataException>(() => FashionMnist.Load("/nonexistent/fashion"));
        Assert.Contains("Fashion-MNIST not found: there is no folder /nonexistent/fashion", error.Message);
        Assert.Contains("`sudo apt-get install dataset-fashion-mnist`", error.Message);
        Assert.Contains("scripts/setup.sh", error.Message);
        Assert.Contains("train-images-idx3-ubyte.gz", error.Message);
    }

    [Theory]
    [InlineData("train-images-idx3-ubyte")]
    [InlineData("t10k-labels-idx1-ubyte")]
    public void A_missing_file_is_named_with_its_folder(string missing)
    {
        using var folder = new TempFolder();
        WriteFolder(folder, train: 3, test: 3, gzip: true, skip: missing);
        using var scope = NewDisposeScope();
        var error = Assert.Throws<DataException>(() => FashionMnist.Load(folder.Path));
        Assert.StartsWith($"{Path.Combine(folder.Path, missing)}.gz: Fashion-MNIST file {missing}.gz (or {missing}) not found in {folder.Path}.", error.Message);
        Assert.Contains("`sudo apt-get install dataset-fashion-mnist`", error.Message);
        Assert.Equal(0, scope.DisposablesCount); // a training set loaded before the test set failed is disposed again
    }

    [Fact]
    public void Training_and_test_images_of_different_sizes_are_refused()
    {
        using var folder = new TempFolder();
        WriteFolder(folder, train: 3, test: 3, gzip: false);
        folder.Write("t10k-images-idx3-ubyte", IdxFiles.Images(3, 32, 32, new byte[3 * 32 * 32]));
        using var scope = NewDisposeScope();
        var error = Assert.Throws<DataException>(() => FashionMnist.Load(folder.Path));
        Assert.Contains("t10k-images-idx3-ubyte: the test images are [1, 32, 32] but the training images are [1, 28, 28]", error.Message);
        Assert.Equal(0, scope.DisposablesCount);
    }

    [Fact]
    public void A_limit_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FashionMnist.Load(limit: 0));
}
