using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Data;

/// <summary>x′ = (x − μ_c)/σ_c, fitted on a training set: every channel ends with mean ≈ 0 and std ≈ 1.</summary>
[Collection("Fashion-MNIST")]
public class NormalizationTests(FashionMnistFixture fixture)
{
    /// <summary>
    /// Per-channel (mean, population std) by another route than the library's std_mean: sums of x and x² per image
    /// and channel in float32 (a few hundred terms each), then totalled in float64; σ² = E[x²] − E[x]².
    /// </summary>
    private static (double[] Mean, double[] Std) Moments(Tensor images)
    {
        using var scope = NewDisposeScope();
        var pixels = (double)(images.shape[0] * images.shape[2] * images.shape[3]);
        var mean = images.sum([2, 3]).to_type(ScalarType.Float64).sum([0]) / pixels;
        var square = images.square().sum([2, 3]).to_type(ScalarType.Float64).sum([0]) / pixels;
        var std = (square - mean.square()).sqrt();
        return (mean.data<double>().ToArray(), std.data<double>().ToArray());
    }

    [Fact]
    public void Fashion_MNIST_normalised_by_its_training_statistics_has_mean_0_and_std_1()
    {
        var normalization = Normalization.Fit(fixture.Data.Train);
        // The well-known Fashion-MNIST statistics: μ ≈ 0.2860, σ ≈ 0.3530.
        Assert.Equal(0.2860, normalization.Mean[0], 3);
        Assert.Equal(0.3530, normalization.Std[0], 3);
        var (mean, std) = Moments(fixture.Data.Train.Images);
        Assert.Equal(mean[0], normalization.Mean[0], 5);
        Assert.Equal(std[0], normalization.Std[0], 5);

        using var normalized = normalization.Apply(fixture.Data.Train);
        var (m, s) = Moments(normalized.Images);
        Assert.Equal(0, m[0], 4);
        Assert.Equal(1, s[0], 4);
        Assert.Equal(fixture.Data.Train.Images.shape, normalized.Images.shape);
    }

    [Fact]
    public void Every_channel_is_standardised_with_its_own_statistics()
    {
        var generator = new torch.Generator(5);
        using var scope = NewDisposeScope();
        var means = tensor(new[] { 0.5f, -3f, 10f }).view(1, 3, 1, 1);
        var scales = tensor(new[] { 0.1f, 2f, 7f }).view(1, 3, 1, 1);
        var images = randn([64, 3, 8, 8], generator: generator) * scales + means;

        var normalization = Normalization.Fit(images);
        var (mean, std) = Moments(images);
        Assert.Equal(mean.Select(v => (float)v), normalization.Mean, (a, b) => Math.Abs(a - b) < 1e-4);
        Assert.Equal(std.Select(v => (float)v), normalization.Std, (a, b) => Math.Abs(a - b) < 1e-4);

        var (m, s) = Moments(normalization.Apply(images));
        Assert.All(m, v => Assert.Equal(0, v, 5));
        Assert.All(s, v => Assert.Equal(1, v, 5));
    }

    [Fact]
    public void A_constant_channel_is_only_centred()
    {
        using var scope = NewDisposeScope();
        var images = cat([full(4, 1, 2, 2, 0.25f), arange(16, dtype: ScalarType.Float32).view(4, 1, 2, 2)], 1);
        var normalization = Normalization.Fit(images);
        Assert.Equal((0.25f, 1f), (normalization.Mean[0], normalization.Std[0]));
        var normalized = normalization.Apply(images);
        Assert.Equal(0f, normalized[.., 0].abs().max().item<float>());
        Assert.True(normalized.isfinite().all().item<bool>());
    }

    [Fact]
    public void Applying_leaves_the_input_and_its_dataset_alone()
    {
        using var folder = new TempFolder();
        var images = folder.Write("i", IdxFiles.Images(4, 3, 3, IdxFiles.RandomBytes(36, 9)));
        var labels = folder.Write("l", IdxFiles.Labels([1, 0, 1, 1]));
        using var data = Idx.LoadDataset("small", images, labels, ["a", "b"]);
        using var scope = NewDisposeScope();
        var before = data.Images.clone();
        var normalized = Normalization.Fit(data).Apply(data);
        Assert.True(data.Images.eq(before).all().item<bool>());
        Assert.NotSame(data.Labels, normalized.Labels);
        // Each dataset owns its own handle on the labels: disposing the original leaves the normalised one usable.
        data.Dispose();
        Assert.Equal(new long[] { 1, 0, 1, 1 }, normalized.Labels.data<long>().ToArray());
        normalized.Dispose();
    }

    [Fact]
    public void Only_images_with_the_fitted_channels_are_accepted()
    {
        using var scope = NewDisposeScope();
        var normalization = new Normalization(EquatableArray.Of(0.5f), EquatableArray.Of(0.25f));
        var error = Assert.Throws<DataException>(() => normalization.Apply(zeros(2, 3, 4, 4)));
        Assert.Equal("a normalisation fitted on 1 channel cannot be applied to images with 3 ([2, 3, 4, 4])", error.Message);
        Assert.Contains("expected images [N, C, H, W]", Assert.Throws<DataException>(() => Normalization.Fit(zeros(3, 4))).Message);
        Assert.Contains("expected floating-point pixels", Assert.Throws<DataException>(() => Normalization.Fit(zeros([2, 1, 2, 2], ScalarType.Byte))).Message);
        Assert.Contains("no pixels", Assert.Throws<DataException>(() => Normalization.Fit(zeros(0, 1, 2, 2))).Message);
        Assert.Equal("Normalization(mean [0.5], std [0.25])", normalization.ToString());
        var broken = normalization with { Std = EquatableArray.Of(0f) };
        Assert.Equal("invalid normalisation statistics: Normalization(mean [0.5], std [0]); expected one finite mean and one finite std > 0 per channel",
            Assert.Throws<DataException>(() => broken.Apply(zeros(2, 1, 4, 4))).Message);
        Assert.Throws<DataException>(() => (normalization with { Std = EquatableArray.Of(1f, 1f) }).Apply(zeros(2, 1, 4, 4)));
    }

    [Fact]
    public void Fitting_and_applying_leave_only_the_result_in_the_callers_scope()
    {
        using var scope = NewDisposeScope();
        var images = rand(8, 2, 4, 4);
        var normalization = Normalization.Fit(images);
        Assert.Equal(1, scope.DisposablesCount);
        normalization.Apply(images);
        Assert.Equal(2, scope.DisposablesCount);
    }
}
