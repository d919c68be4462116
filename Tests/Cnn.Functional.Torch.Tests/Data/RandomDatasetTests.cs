using Cnn.Functional.Torch;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Data;

/// <summary><see cref="Dataset.Random"/>: seeded noise of a given shape with labels of every class, for measuring without data.</summary>
public class RandomDatasetTests
{
    [Fact]
    public void The_examples_have_the_shape_the_labels_cover_the_classes_and_a_seed_repeats_them()
    {
        using var data = Dataset.Random(Shape.Image(3, 6, 5), classes: 4, count: 400, seed: 9);
        using var again = Dataset.Random(Shape.Image(3, 6, 5), classes: 4, count: 400, seed: 9);
        using var other = Dataset.Random(Shape.Image(3, 6, 5), classes: 4, count: 400, seed: 10);
        using var scope = NewDisposeScope();
        Assert.Equal(Shape.Image(3, 6, 5), data.ExampleShape);
        Assert.Equal(400, data.Count);
        Assert.Equal(ScalarType.Float32, data.Images.dtype);
        Assert.Equal(ScalarType.Int64, data.Labels.dtype);
        Assert.Equal(["class 0", "class 1", "class 2", "class 3"], data.ClassNames);
        Assert.Equal([0L, 1L, 2L, 3L], data.Labels.unique().Item1.data<long>().ToArray());
        Assert.True(data.Images.allclose(again.Images, rtol: 0, atol: 0) && data.Labels.allclose(again.Labels, rtol: 0, atol: 0));
        Assert.False(data.Images.allclose(other.Images, rtol: 0, atol: 0));
        // Standard normal: mean near 0 and standard deviation near 1 over 400 · 90 values.
        Assert.InRange(Scalars.Read<float>(data.Images.mean()), -0.05f, 0.05f);
        Assert.InRange(Scalars.Read<float>(data.Images.std()), 0.95f, 1.05f);
    }

    [Fact]
    public void No_classes_or_no_examples_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Dataset.Random(Shape.Image(1, 2, 2), 0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => Dataset.Random(Shape.Image(1, 2, 2), 2, 0));
    }
}
