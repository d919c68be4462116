namespace Cnn.Functional.Torch;

/// <summary>A training set and a test set; disposing the pair disposes both.</summary>
public sealed record TrainTest(Dataset Train, Dataset Test) : IDisposable
{
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}

/// <summary>
/// Fashion-MNIST (Xiao, Rasul and Vollgraf 2017): 70,000 grey 28×28 images of clothing in 10 classes, 60,000 for
/// training and 10,000 for testing, 6,000 and 1,000 per class. It is a drop-in replacement for MNIST: the same IDX
/// files and names, so any folder of MNIST-style IDX files loads too.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package (installed by scripts/setup.sh) puts the files.</summary>
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The command that installs the data into <see cref="DefaultFolder"/>.</summary>
    public const string InstallCommand = "sudo apt-get install dataset-fashion-mnist";

    /// <summary>The 10 classes, in label order 0…9.</summary>
    public static readonly EquatableArray<string> ClassNames = EquatableArray.Of(
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /// <summary>The four files' names without the optional <c>.gz</c>: train images, train labels, test images, test labels.</summary>
    public static readonly EquatableArray<string> FileNames = EquatableArray.Of(
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /// <summary>
    /// Loads the training and test sets from <paramref name="folder"/> (default <see cref="DefaultFolder"/>): images
    /// float32 [N, 1, 28, 28] in [0, 1], labels int64 [N] in 0…9, N = 60,000 and 10,000, or the first
    /// <paramref name="limit"/> examples of each (for fast tests). Each file may be gzipped or plain, named with or
    /// without <c>.gz</c> (the plain one is preferred when both exist). A missing folder or file is a
    /// <see cref="DataException"/> that says which file and how to install the data; a corrupt one, one that says
    /// what is wrong where (see <see cref="Idx"/>). The tensors are created in the current dispose scope.
    /// </summary>
    public static TrainTest Load(string? folder = null, int limit = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        folder ??= DefaultFolder;
        if (!Directory.Exists(folder))
        {
            throw new DataException($"Fashion-MNIST not found: there is no folder {folder}. {HowToGet(folder)}", folder);
        }
        var paths = FileNames.Select(name => Find(folder, name)).ToArray();
        var train = Idx.LoadDataset("Fashion-MNIST train", paths[0], paths[1], ClassNames, limit);
        try
        {
            var test = Idx.LoadDataset("Fashion-MNIST test", paths[2], paths[3], ClassNames, limit);
            if (!test.ExampleShape.Equals(train.ExampleShape))
            {
                var message = $"the test images are {test.ExampleShape} but the training images are {train.ExampleShape}";
                test.Dispose();
                throw new DataException(message, paths[2]);
            }
            return new TrainTest(train, test);
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads only the test set from <paramref name="folder"/> (default <see cref="DefaultFolder"/>), as
    /// <see cref="Load"/> does: for tools that look at test images (explanations of a trained model) and need not
    /// decompress and hold the 60,000 training images.
    /// </summary>
    public static Dataset LoadTest(string? folder = null, int limit = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        folder ??= DefaultFolder;
        if (!Directory.Exists(folder))
        {
            throw new DataException($"Fashion-MNIST not found: there is no folder {folder}. {HowToGet(folder)}", folder);
        }
        return Idx.LoadDataset("Fashion-MNIST test", Find(folder, FileNames[2]), Find(folder, FileNames[3]), ClassNames, limit);
    }

    /// <summary>The path of <paramref name="name"/> or <paramref name="name"/>.gz in <paramref name="folder"/>.</summary>
    private static string Find(string folder, string name)
    {
        foreach (var candidate in new[] { name, name + ".gz" })
        {
            var path = Path.Combine(folder, candidate);
            if (File.Exists(path)) return path;
        }
        throw new DataException($"Fashion-MNIST file {name}.gz (or {name}) not found in {folder}. {HowToGet(folder)}",
            Path.Combine(folder, name + ".gz"));
    }

    private static string HowToGet(string folder) =>
        Path.GetFullPath(folder).TrimEnd('/') == DefaultFolder
            ? $"Install it with `{InstallCommand}` (or run scripts/setup.sh in the Cnn.Functional repository)."
            : $"Put the IDX files {string.Join(", ", FileNames.Select(n => n + ".gz"))} (gzipped or not) there, or install " +
              $"Fashion-MNIST into {DefaultFolder} with `{InstallCommand}` (or scripts/setup.sh) and use that folder.";
}
