using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Tests.Data;

/// <summary>
/// Augmentations are pure, reproducible with a seeded generator, keep the batch's shape, and do exactly what they
/// say: a flip mirrors, a crop is a whole-pixel shift with zeros, a translation moves pixels.
/// </summary>
public class AugmentationTests
{
    private static Tensor Batch(int seed = 1) => rand([16, 2, 9, 7], generator: new torch.Generator((ulong)seed)) + 0.1f;

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>The image moved right by dx and down by dy, zeros where nothing moved in (built independently with pad and narrow).</summary>
    private static Tensor Shifted(Tensor image, int dx, int dy)
    {
        var (h, w) = (image.shape[^2], image.shape[^1]);
        var p = Math.Max(Math.Abs(dx), Math.Abs(dy));
        var padded = F.pad(image, [p, p, p, p]);
        return padded.narrow(-2, p - dy, h).narrow(-1, p - dx, w);
    }

    [Fact]
    public void Flipping_mirrors_the_columns_and_twice_is_the_identity()
    {
        using var scope = NewDisposeScope();
        var x = Batch();
        var flipped = Augmentation.HorizontalFlip(x);
        Assert.True(Same(flipped[.., .., .., 0], x[.., .., .., 6]));
        Assert.True(Same(flipped[.., .., .., 2], x[.., .., .., 4]));
        Assert.True(Same(Augmentation.HorizontalFlip(flipped), x));
    }

    [Fact]
    public void Random_flips_are_reproducible_and_flip_each_image_or_leave_it()
    {
        using var scope = NewDisposeScope();
        var x = Batch();
        var once = Augmentation.RandomHorizontalFlip(x, new torch.Generator(42));
        Assert.True(Same(once, Augmentation.RandomHorizontalFlip(x, new torch.Generator(42))));
        var mirror = Augmentation.HorizontalFlip(x);
        var flipped = Enumerable.Range(0, 16).Select(i => Same(once[i], mirror[i])).ToArray();
        Assert.All(Enumerable.Range(0, 16), i => Assert.True(flipped[i] || Same(once[i], x[i])));
        Assert.InRange(flipped.Count(f => f), 1, 15); // with seed 42 some are flipped and some are not
        // The same draw applied twice undoes itself.
        Assert.True(Same(Augmentation.RandomHorizontalFlip(once, new torch.Generator(42)), x));
        Assert.True(Same(Augmentation.RandomHorizontalFlip(x, new torch.Generator(1), probability: 0), x));
        Assert.True(Same(Augmentation.RandomHorizontalFlip(x, new torch.Generator(1), probability: 1), mirror));
    }

    [Fact]
    public void A_random_crop_keeps_the_shape_and_shifts_each_image_by_whole_pixels_within_the_padding()
    {
        using var scope = NewDisposeScope();
        var x = Batch();
        var cropped = Augmentation.RandomCrop(x, padding: 2, new torch.Generator(7));
        Assert.Equal(x.shape, cropped.shape);
        Assert.True(Same(cropped, Augmentation.RandomCrop(x, padding: 2, new torch.Generator(7))));
        Assert.False(Same(cropped, Augmentation.RandomCrop(x, padding: 2, new torch.Generator(8))));
        var shifts = new HashSet<(int, int)>();
        for (var i = 0; i < 16; i++)
        {
            var matches = (from dx in Enumerable.Range(-2, 5) from dy in Enumerable.Range(-2, 5)
                           where Same(cropped[i], Shifted(x[i], dx, dy)) select (dx, dy)).ToList();
            Assert.Single(matches); // exactly one shift explains the crop (the images have no zero pixels)
            shifts.Add(matches[0]);
        }
        Assert.True(shifts.Count > 3, "different images get different shifts");
        Assert.True(Same(Augmentation.RandomCrop(x, padding: 0, new torch.Generator(7)), x));
    }

    [Fact]
    public void A_whole_pixel_translation_moves_pixels_exactly()
    {
        using var scope = NewDisposeScope();
        var x = Batch()[..3];
        var shifts = tensor(new float[] { 1, 0, 0, -2, 3, 1 }).view(3, 2); // (dx, dy) per image
        var moved = Augmentation.Translate(x, shifts);
        Assert.True((moved[0] - Shifted(x[0], 1, 0)).abs().max().item<float>() < 1e-5f);
        Assert.True((moved[1] - Shifted(x[1], 0, -2)).abs().max().item<float>() < 1e-5f);
        Assert.True((moved[2] - Shifted(x[2], 3, 1)).abs().max().item<float>() < 1e-5f);
        Assert.True((Augmentation.Translate(x, zeros(3, 2)) - x).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void A_half_pixel_translation_averages_neighbours()
    {
        using var scope = NewDisposeScope();
        var x = arange(4, dtype: ScalarType.Float32).view(1, 1, 1, 4) + 1; // 1 2 3 4
        var moved = Augmentation.Translate(x, tensor(new[] { 0.5f, 0f }).view(1, 2));
        Assert.Equal(new[] { 0.5f, 1.5f, 2.5f, 3.5f }, moved.data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public void Random_translations_are_reproducible_small_and_keep_the_shape()
    {
        using var scope = NewDisposeScope();
        var x = Batch();
        var moved = Augmentation.RandomTranslate(x, maxShift: 1.5, new torch.Generator(3));
        Assert.Equal(x.shape, moved.shape);
        Assert.True(Same(moved, Augmentation.RandomTranslate(x, maxShift: 1.5, new torch.Generator(3))));
        Assert.False(Same(moved, x));
        Assert.True((Augmentation.RandomTranslate(x, maxShift: 0, new torch.Generator(3)) - x).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void Augmentations_change_neither_their_input_nor_the_callers_scope_beyond_their_result()
    {
        using var scope = NewDisposeScope();
        var x = Batch();
        var copy = x.clone();
        var generator = new torch.Generator(1);
        var results = new Func<Tensor>[]
        {
            () => Augmentation.HorizontalFlip(x),
            () => Augmentation.RandomHorizontalFlip(x, generator),
            () => Augmentation.RandomCrop(x, 4, generator),
            () => Augmentation.RandomTranslate(x, 2, generator),
        };
        foreach (var augment in results)
        {
            var count = scope.DisposablesCount;
            augment();
            Assert.Equal(count + 1, scope.DisposablesCount);
        }
        Assert.True(Same(x, copy));
    }

    [Fact]
    public void Bad_batches_and_parameters_are_refused_clearly()
    {
        using var scope = NewDisposeScope();
        var generator = new torch.Generator(1);
        var error = Assert.Throws<DataException>(() => Augmentation.RandomCrop(zeros(9, 7), 2, generator));
        Assert.Equal("RandomCrop needs a batch of images [N, C, H, W]; got a tensor of shape [9, 7]", error.Message);
        Assert.Contains("floating-point", Assert.Throws<DataException>(() => Augmentation.HorizontalFlip(zeros([1, 1, 2, 2], ScalarType.Byte))).Message);
        Assert.Contains("shifts [2, 2]", Assert.Throws<DataException>(() => Augmentation.Translate(zeros(2, 1, 4, 4), zeros(2, 3))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Augmentation.RandomCrop(zeros(1, 1, 4, 4), -1, generator));
        Assert.Throws<ArgumentOutOfRangeException>(() => Augmentation.RandomHorizontalFlip(zeros(1, 1, 4, 4), generator, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Augmentation.RandomTranslate(zeros(1, 1, 4, 4), double.NaN, generator));
    }
}
