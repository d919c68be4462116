using System.Globalization;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// Which <see cref="Augmentation"/>s the trainer applies to every training batch, in this order: a random crop after
/// zero-padding by <paramref name="CropPadding"/> pixels, a random sub-pixel translation of up to
/// <paramref name="MaxTranslation"/> pixels, and a horizontal flip with probability ½ when
/// <paramref name="HorizontalFlip"/>. The default does nothing. Validation and test data are never augmented.
/// </summary>
public sealed record AugmentationPolicy(int CropPadding = 0, bool HorizontalFlip = false, double MaxTranslation = 0)
{
    /// <summary>The policy of ResNet's CIFAR experiments scaled to 28×28 images: pad 2 and crop, and flip.</summary>
    public static AugmentationPolicy CropAndFlip(int padding = 2) => new(padding, HorizontalFlip: true);

    /// <summary>True when the policy changes nothing.</summary>
    public bool IsIdentity => CropPadding == 0 && !HorizontalFlip && MaxTranslation == 0;

    /// <summary>The augmented batch, drawing from <paramref name="generator"/>; the input is not changed.</summary>
    /// <exception cref="DataException">The batch is not floating-point images [N, C, H, W].</exception>
    public Tensor Apply(Tensor batch, Generator generator)
    {
        using var scope = NewDisposeScope();
        var result = batch.alias();
        if (CropPadding > 0) result = Augmentation.RandomCrop(result, CropPadding, generator);
        if (MaxTranslation > 0) result = Augmentation.RandomTranslate(result, MaxTranslation, generator);
        if (HorizontalFlip) result = Augmentation.RandomHorizontalFlip(result, generator);
        return result.MoveToOuterDisposeScope();
    }

    /// <exception cref="ArgumentOutOfRangeException">The padding is negative or the translation not a finite number ≥ 0.</exception>
    public void Check()
    {
        if (CropPadding < 0)
            throw new ArgumentOutOfRangeException(nameof(CropPadding), CropPadding, $"the crop padding must be 0 or more pixels; got {CropPadding}");
        if (!double.IsFinite(MaxTranslation) || MaxTranslation < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxTranslation), MaxTranslation,
                string.Create(CultureInfo.InvariantCulture, $"the maximal translation must be a finite number of pixels ≥ 0; got {MaxTranslation}"));
    }

    /// <summary>
    /// Reads a policy from a comma-separated list (the CLI's <c>--augment</c>): <c>crop=2</c>, <c>flip</c>,
    /// <c>translate=1.5</c>, or <c>none</c>; e.g. <c>crop=2,flip</c>.
    /// </summary>
    /// <exception cref="FormatException">An item is not one of those; the message lists them.</exception>
    public static AugmentationPolicy Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var policy = new AugmentationPolicy();
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (name, value) = raw.Split('=', 2) is [var n, var v] ? (n.Trim(), v.Trim()) : (raw, null);
            policy = (name.ToLowerInvariant(), value) switch
            {
                ("none", null) => policy,
                ("flip", null) => policy with { HorizontalFlip = true },
                ("crop", { } c) when int.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p >= 0 => policy with { CropPadding = p },
                ("translate", { } m) when double.TryParse(m, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && double.IsFinite(t) && t >= 0 =>
                    policy with { MaxTranslation = t },
                _ => throw new FormatException(
                    $"'{raw}' is not an augmentation: use crop=PIXELS (an integer ≥ 0), translate=PIXELS (a number ≥ 0), flip, or none, separated by commas (e.g. crop=2,flip)"),
            };
        }
        return policy;
    }

    public override string ToString()
    {
        var parts = new List<string>();
        if (CropPadding > 0) parts.Add($"crop={CropPadding}");
        if (MaxTranslation > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"translate={MaxTranslation}"));
        if (HorizontalFlip) parts.Add("flip");
        return parts.Count == 0 ? "none" : string.Join(",", parts);
    }
}
