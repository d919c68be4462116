using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// Per-channel standardisation, the lecture's data preprocessing ("normalize each dimension by its std. dev. after
/// mean subtraction"): x′ = (x − μ_c) / σ_c for every pixel of channel c, with μ_c and σ_c the mean and (population)
/// standard deviation of channel c over all training examples and pixels. Fit on the training set only, then apply
/// the same μ, σ to every set — the test set must not leak into the statistics. A constant channel (σ = 0) is only
/// centred (σ taken as 1), as scikit-learn's StandardScaler does, instead of dividing by zero.
/// The statistics are plain numbers, so a trained model can carry them (e.g. in a checkpoint).
/// </summary>
/// <param name="Mean">μ_c per channel.</param>
/// <param name="Std">σ_c per channel (never 0).</param>
public sealed record Normalization(EquatableArray<float> Mean, EquatableArray<float> Std)
{
    /// <summary>Fits μ and σ per channel on a training set's images.</summary>
    public static Normalization Fit(Dataset train) => Fit(train.Images);

    /// <summary>Fits μ and σ per channel on images [N, C, H, W] (reduced over N, H and W).</summary>
    public static Normalization Fit(Tensor images)
    {
        CheckImages(images, "fit a normalisation on");
        if (images.numel() == 0)
        {
            throw new DataException($"cannot fit a normalisation on no pixels (images [{string.Join(", ", images.shape)}])");
        }
        using var scope = NewDisposeScope();
        // std_mean reduces in one pass (Welford's algorithm), accurate in float32 even over 47 million pixels.
        var (std, mean) = images.std_mean([0, 2, 3], unbiased: false);
        var sigma = std.to_type(ScalarType.Float32).data<float>().ToArray();
        var mu = mean.to_type(ScalarType.Float32).data<float>().ToArray();
        return new Normalization(mu, sigma.Select(s => s > 0 && float.IsFinite(s) ? s : 1f).ToArray());
    }

    /// <summary>The number of channels the statistics are for.</summary>
    public int Channels => Mean.Count;

    /// <summary>
    /// x′ = (x − μ_c) / σ_c: images [N, C, H, W] → a new float32 tensor of the same shape, in the current dispose scope.
    /// </summary>
    public Tensor Apply(Tensor images)
    {
        CheckImages(images, "normalise");
        // Records can be built (or copied with `with`) without Fit: check the statistics where they are used.
        if (Std.Count != Channels || Std.Any(s => !(s > 0) || !float.IsFinite(s)) || Mean.Any(m => !float.IsFinite(m)))
        {
            throw new DataException($"invalid normalisation statistics: {this}; expected one finite mean and one finite std > 0 per channel");
        }
        if (images.shape[1] != Channels)
        {
            throw new DataException($"a normalisation fitted on {Channels} channel{(Channels == 1 ? "" : "s")} cannot be applied to " +
                                    $"images with {images.shape[1]} ([{string.Join(", ", images.shape)}])");
        }
        using var scope = NewDisposeScope();
        var mu = tensor(Mean.ToArray(), device: images.device).view(1, Channels, 1, 1);
        var sigma = tensor(Std.ToArray(), device: images.device).view(1, Channels, 1, 1);
        return images.to_type(ScalarType.Float32).sub(mu).div_(sigma).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The dataset with normalised images: a new dataset (its own images tensor, and its own handle on the same
    /// labels), which the caller disposes independently of <paramref name="data"/>.
    /// </summary>
    public Dataset Apply(Dataset data)
    {
        var images = Apply(data.Images);
        // alias() is a second handle on the same storage: disposing either dataset leaves the other's labels intact.
        return data with { Images = images, Labels = data.Labels.alias() };
    }

    public override string ToString() =>
        $"Normalization(mean [{string.Join(", ", Mean.Select(m => m.ToString("G6")))}], std [{string.Join(", ", Std.Select(s => s.ToString("G6")))}])";

    private static void CheckImages(Tensor images, string what)
    {
        if (images.dim() != 4)
        {
            throw new DataException($"cannot {what} a tensor of shape [{string.Join(", ", images.shape)}]: expected images [N, C, H, W]");
        }
        if (!images.is_floating_point())
        {
            throw new DataException($"cannot {what} {images.dtype} images: expected floating-point pixels (a Dataset's float32 images)");
        }
    }
}
