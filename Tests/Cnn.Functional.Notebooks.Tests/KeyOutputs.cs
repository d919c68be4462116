using System.Globalization;
using System.Text.RegularExpressions;

namespace Cnn.Functional.Notebooks.Tests;

/// <summary>
/// What each notebook must show, checked on the text it printed: the same checks hold for a notebook run through the
/// kernel and for its twin run with <c>dotnet run</c>. Facts are exact (published parameter counts, formula results);
/// measured quantities are checked against floors and orderings, not against stored values.
/// </summary>
public static class KeyOutputs
{
    /// <summary>The charts each notebook draws.</summary>
    public static readonly IReadOnlyDictionary<string, int> Charts = new Dictionary<string, int>
    {
        ["01-convolution"] = 2, ["02-pooling"] = 1, ["03-architectures"] = 2, ["04-training"] = 2,
        ["05-visualising"] = 7, ["06-adversarial"] = 2, ["07-transfer"] = 1, ["08-laws"] = 1,
    };

    public static void Check(string notebook, string text)
    {
        switch (notebook)
        {
            case "01-convolution":
                Assert.Contains("O = (32 − 5 + 2·0)/2 + 1 = 14.5   ← not an integer: invalid", text);
                Assert.Contains("not an integer", Line(text, "conv1"));
                Assert.Matches(@"standard 3×3\s+\[64, 28, 28\]\s+18,496", text);
                Assert.Matches(@"depthwise-separable 3×3\s+\[64, 28, 28\]\s+2,400", text);
                Assert.Matches(@"transposed 4×4, S = 2\s+\[64, 56, 56\]", text);
                Assert.Contains("receptive field of conv6: 13 (jump 1)", text);
                Assert.Contains("receptive field of conv6: 127 (jump 1)", text);
                break;
            case "02-pooling":
                Assert.Contains("pixel at (3, 2) → max-pooled 4 × 4 map is 1 at (1, 1)", text);
                Assert.Contains("pixel at (3, 3) → max-pooled 4 × 4 map is 1 at (1, 1)", text);
                Assert.Contains("pixel at (3, 4) → max-pooled 4 × 4 map is 1 at (1, 2)", text);
                // About 1/3 for i.i.d. inputs and 2×2 windows (the shared column holds the largest of six values).
                Assert.InRange(Percent(text, @"max pool 2×2, S = 2\s+"), 25, 42);
                Assert.Equal(100.0, Percent(text, @"global max\s+"));
                Assert.True(Percent(text, @"avg 2×2\s+") < Percent(text, @"max 2×2\s+"), "average pooling should change more often than max pooling");
                Assert.True(Percent(text, @"max 2×2\s+") < Percent(text, @"max 4×4\s+"), "a larger window should be more stable");
                break;
            case "03-architectures":
                Assert.Contains("Parameters: 61,706 (trainable 61,706, frozen 0)", text);
                Assert.Matches(@"LeNet-5 \(1998\)\s+\[1, 32, 32\]\s+60,000", text);
                Assert.Matches(@"VGG-16\s+\[3, 224, 224\]\s+138,357,544", text);
                Assert.Matches(@"ResNet-50\s+\[3, 224, 224\]\s+25,557,032", text);
                Assert.Matches(@"GoogLeNet \(2014\)\s+\[3, 224, 224\]\s+6,998,552", text);
                break;
            case "04-training":
                Assert.True(Percent(text, "test micro-accuracy ") >= 60, $"LeNet-5 after one epoch on 10,000 images should exceed 60%:\n{Line(text, "micro-accuracy")}");
                Assert.Contains("Features   Vector<Single, 1, 28, 28>", text);
                break;
            case "05-visualising":
                Assert.True(Percent(text, "test accuracy ") >= 55, Line(text, "test accuracy"));
                Assert.Matches(@"test image 0: Ankle boot, predicted \w", text);
                Assert.Contains("400 codes of dimension 84", text);
                break;
            case "06-adversarial":
                var clean = Percent(text, "ε = 0.00: accuracy ");
                var attacked = Percent(text, "ε = 0.10: accuracy ");
                Assert.True(clean >= 55, $"clean accuracy {clean}%");
                Assert.True(attacked < clean - 15, $"FGSM at ε = 0.1 should cost accuracy: {clean}% → {attacked}%");
                Assert.True(Percent(text, "ε = 0.20: standard [0-9.]+ %, adversarially trained ") > Percent(text, "ε = 0.20: standard "),
                    $"adversarial training should help at ε = 0.2:\n{Line(text, "ε = 0.20: standard")}");
                break;
            case "07-transfer":
                Assert.Contains("parameters 61,196: trainable 58,624, frozen 2,572", text);
                Assert.Matches(@"fc3\.weight", Line(text, "mismatched"));
                foreach (var way in new[] { "from scratch", "fine-tuned", "CNN codes \\+ means" })
                    Assert.True(Percent(text, way + @"\s+") > 60, $"{way}: far better than chance (25%) expected:\n{Line(text, way.Replace("\\", ""))}");
                // Transferred features should be at least as good as learning from 500 images alone (a broken transfer,
                // random frozen filters, falls well below); a small margin absorbs run-to-run noise.
                Assert.True(Percent(text, @"fine-tuned\s+") > Percent(text, @"from scratch\s+") - 2, "with 500 images, fine-tuning should not lose to training from scratch");
                break;
            case "08-laws":
                Assert.StartsWith("translation-equivariance holds", Line(text, "translation-equivariance"));
                Assert.Contains("translation-equivariance is violated by layer", text);
                Assert.Matches(@"lenet5: [1-9]\d* hold, 0 violated", text);
                Assert.Matches(@"(\d+) of \1 hold", text);
                break;
            default:
                throw new InvalidOperationException($"no key outputs are defined for notebook {notebook}: add them to {nameof(KeyOutputs)}");
        }
    }

    // The number after the pattern, in "73.3 %" form.
    private static double Percent(string text, string pattern)
    {
        var match = Regex.Match(text, pattern + @"(?<value>\d+(\.\d+)?) ?%");
        Assert.True(match.Success, $"no percentage after /{pattern}/ in:\n{text}");
        return double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
    }

    private static string Line(string text, string containing) =>
        text.Split('\n').FirstOrDefault(l => l.Contains(containing, StringComparison.Ordinal)) ?? $"(no line contains '{containing}')";
}
