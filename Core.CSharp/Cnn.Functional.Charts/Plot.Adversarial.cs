using Cnn.Functional.Torch;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace Cnn.Functional.Charts;

public static partial class Plot
{
    /// <summary>Accuracy against the FGSM step ε (Goodfellow et al. 2015): how fast a model falls to adversarial examples.</summary>
    public static GenericChart Robustness(RobustnessCurve curve, string name = "", string title = "") =>
        RobustnessComparison(new Dictionary<string, RobustnessCurve> { [name.Length > 0 ? name : curve.Data] = curve }, title);

    /// <summary>Several accuracy-versus-ε curves on one chart (e.g. normal and adversarial training), keyed by their legend names.</summary>
    /// <exception cref="ArgumentException">No curve is given.</exception>
    public static GenericChart RobustnessComparison(IReadOnlyDictionary<string, RobustnessCurve> curves, string title = "")
    {
        if (curves.Count == 0) throw new ArgumentException("give at least one curve", nameof(curves));
        var lines = curves.Select(c => CSharpChart.Line<double, double, string>(c.Value.Points.Select(p => p.Epsilon), c.Value.Points.Select(p => p.Accuracy),
            ShowMarkers: true, Name: c.Key)).ToList();
        var count = curves.Values.First().Count;
        return CSharpChart.Combine(lines).AxisTitles("ε (max-norm step, pixels in [0, 1])", "accuracy")
            .Titled(title.Length > 0 ? title : $"accuracy under FGSM on {count} examples").Sized(640, 400);
    }

    /// <summary>
    /// The lecture's panda figure for one image: x, sign(∇ₓJ) (grey 0.5 is 0), and x + ε·sign(∇ₓJ), with what the
    /// network predicts for each.
    /// </summary>
    public static GenericChart Adversarial(AdversarialExample example, IReadOnlyList<string>? classNames = null, string title = "")
    {
        string Name(int c) => classNames is not null && c < classNames.Count ? classNames[c] : c.ToString();
        var sign = example.Perturbation.Channels.Select(c => c with { Values = c.Values.Select(v => (v + 1) / 2).ToEquatableArray() });
        var tiles = example.Original.Channels.Concat(sign).Concat(example.Adversarial.Channels).ToList();
        var mosaic = Mosaic.Of(tiles, columns: tiles.Count);
        var caption = Invariant($"{Name(example.OriginalPrediction)} ({example.OriginalConfidence:P0})  +  {example.Epsilon:0.###}·sign(∇ₓJ)  =  {Name(example.AdversarialPrediction)} ({example.AdversarialConfidence:P0}); true class {Name(example.Label)}");
        return Grey(mosaic.Rows, title.Length > 0 ? title : caption, 0, 1, mosaic.Width, mosaic.Height);
    }
}
