using Cnn.Functional.Torch;
using Cnn.Functional.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Explain;

/// <summary>
/// A problem whose class evidence sits in one known place: 1×16×16 images of uniform noise in [0, 0.6]; class 1 has a
/// bright 4×4 square (value 1) somewhere, class 0 has none. Every attribution method should point at the square.
/// </summary>
internal static class BrightSquares
{
    public const int Size = 16;
    public const int Side = 4;

    public sealed record Sample(Dataset Data, Region[] Squares) : IDisposable
    {
        public void Dispose() => Data.Dispose();
    }

    public static Sample Make(int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new float[count * Size * Size];
        var labels = new long[count];
        var squares = new Region[count];
        for (var n = 0; n < count; n++)
        {
            for (var i = 0; i < Size * Size; i++) pixels[n * Size * Size + i] = (float)(0.6 * random.NextDouble());
            labels[n] = n % 2;
            squares[n] = new Region(random.Next(Size - Side + 1), random.Next(Size - Side + 1), Side, Side);
            if (labels[n] == 0) continue;
            for (var dy = 0; dy < Side; dy++)
                for (var dx = 0; dx < Side; dx++)
                    pixels[n * Size * Size + (squares[n].Top + dy) * Size + squares[n].Left + dx] = 1f;
        }
        var data = new Dataset("bright-squares", tensor(pixels).reshape(count, 1, Size, Size), tensor(labels), 2, EquatableArray.Of("plain", "square"));
        return new Sample(data, squares);
    }

    /// <summary>Convolutions, then global average pooling and one dense layer: the shape CAM needs (features: [16, 8, 8]).</summary>
    public static Graph GapNet() => Graph.Create("gap-net", Shape.Image(1, Size, Size))
        .Then("conv1", Layers.Conv(8, 3, padding: 1)).Then("relu1", Layers.Relu())
        .Then("conv2", Layers.Conv(16, 3, padding: 1)).Then("relu2", Layers.Relu())
        .Then("pool", Layers.MaxPool(2))
        .Then("conv3", Layers.Conv(16, 3, padding: 1)).Then("features", Layers.Relu())
        .Then("gap", Layers.GlobalAvgPool())
        .Then("fc", Layers.Dense(2));

    /// <summary>The square with a one-pixel margin (6×6 of 256 pixels, 14% of the image): what "inside the region" means for the tests.</summary>
    public static Region Around(Region square) => new(square.Top - 1, square.Left - 1, square.Height + 2, square.Width + 2);
}

/// <summary>A GAP net trained once on bright squares, shared by the attribution tests.</summary>
public sealed class TrainedSquares : IDisposable
{
    internal BrightSquares.Sample Test { get; }

    internal GraphModule Module { get; }

    public double Accuracy { get; }

    public TrainedSquares()
    {
        var threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            using var train = BrightSquares.Make(1024, seed: 1);
            Test = BrightSquares.Make(200, seed: 2);
            Module = Synthetic.Module(BrightSquares.GapNet(), 3);
            using var trainer = new Trainer(Module, new TrainingOptions { Epochs = 8, BatchSize = 32, LearningRate = 3e-3, Seed = 3, BatchEventInterval = 0 });
            trainer.Fit(train.Data);
            Accuracy = trainer.Evaluate(Test.Data).Accuracy;
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    /// <summary>The first <paramref name="count"/> test images of class 1 (with a square), with their squares.</summary>
    internal IEnumerable<(Tensor Image, Region Square)> WithSquare(int count) =>
        Enumerable.Range(0, (int)Test.Data.Count).Where(i => i % 2 == 1).Take(count).Select(i => (Test.Data.Images[i], Test.Squares[i]));

    public void Dispose()
    {
        Module.Dispose();
        Test.Dispose();
    }
}
