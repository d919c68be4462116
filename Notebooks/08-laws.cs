// Generated from 08-laws.ipynb by the notebook tool: do not edit; edit the notebook and regenerate with
//   dotnet run --project Notebooks/Cnn.Functional.Notebooks -- twins
// Run it (from the repository root) with
//   dotnet run Notebooks/08-laws.cs
// Markdown cells are comments; display(…) prints text and saves charts as HTML pages in a temporary folder.
#:project ../Core.CSharp/Cnn.Functional.Graph/Cnn.Functional.Graph.csproj
#:project ../Core.CSharp/Cnn.Functional.Torch/Cnn.Functional.Torch.csproj
#:project ../Dsl/Cnn.Functional.Dsl/Cnn.Functional.Dsl.csproj
#:project ../Core.CSharp/Cnn.Functional.Charts/Cnn.Functional.Charts.csproj
#:project ../Properties/Cnn.Functional.Properties/Cnn.Functional.Properties.csproj

using Cnn.Functional;
using Cnn.Functional.Dsl;
using Cnn.Functional.Charts;
using Plotly.NET.CSharp;
using Cnn.Functional.Properties;

// # 8. Checking the laws of layers
//
// The lecture states properties of layers that hold for *every* input and weight: convolution is **equivariant** to
// translation, $\mathrm{conv}(\tau x) = \tau\,\mathrm{conv}(x)$; global pooling is **invariant**, $\mathrm{pool}(\tau x) =
// \mathrm{pool}(x)$; convolution without bias is **linear**; the transposed convolution is its **adjoint**,
// $\langle \mathrm{conv}(x), y \rangle = \langle x, \mathrm{conv}^\top(y) \rangle$; a $1 \times 1$ convolution is a dense
// layer at every pixel; a depthwise-separable convolution is a grouped one followed by a $1 \times 1$ one.
//
// `Cnn.Functional.Properties` states these as values and checks them with FsCheck against the lowered TorchSharp layers:
// random cases, a tolerance per dtype, and a shrunk counterexample when a law fails. The seed is fixed here so the
// outputs replay.

// (cell 2 runs only in the notebook: it prepares the kit that #r loads; here #:project does that)

// cell 3
// A notebook host lists no native libraries: TorchSharp finds libtorch next to its assembly (kit/runtimes/) when
// asked to load it explicitly, before the first layer is created.
TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);

// Plotly.NET.CSharp has no WithTitle; Plotly.NET's own API titles a chart.
Plotly.NET.GenericChart Titled(Plotly.NET.GenericChart chart, string title) => Plotly.NET.Chart.withTitle(title, null).Invoke(chart);

// Charts are stored as Plotly figures (drawn by JupyterLab and VS Code) plus a PNG picture (shown by GitHub).
NotebookFormatters.RegisterFigures();

// cell 4
var options = new LawOptions { Cases = 20, Seed = 1 };
var conv = Subject.For(Layers.Conv(8, 3, padding: Padding.Same), Shape.Image(3, 12, 12));
Console.WriteLine(Laws.TranslationEquivariance.Check(conv, options));

// A layer that breaks the law: CoordConv appends the pixel coordinates as channels, so a shifted input meets
// different coordinates. The counterexample is shrunk to a small case:

// cell 6
var coord = Subject.For(Layers.CoordConv(8, 3, padding: Padding.Same), Shape.Image(3, 12, 12));
Console.WriteLine(Laws.TranslationEquivariance.Check(coord, options));

// ## Every law against the layers it speaks about
//
// Each law says which subjects it applies to; the table shows the verdict on one layer of each kind.

// cell 8
var subjects = new (string Name, Subject Subject)[]
{
    ("conv 3×3", Subject.For(Layers.Conv(4, 3, padding: 1, bias: false), Shape.Image(3, 8, 8))),
    ("conv 1×1", Subject.For(Layers.Conv1x1(4), Shape.Image(3, 8, 8))),
    ("depthwise-separable", Subject.For(Layers.DepthwiseSeparableConv(4, 3, padding: 1), Shape.Image(3, 8, 8))),
    ("transposed conv", Subject.For(Layers.ConvTranspose(4, 3, stride: 2), Shape.Image(3, 6, 6))),
    ("max pool 2×2", Subject.For(Layers.MaxPool(2), Shape.Image(3, 8, 8))),
    ("global avg pool", Subject.For(Layers.GlobalAvgPool(), Shape.Image(3, 8, 8))),
    ("dropout", Subject.For(Layers.Dropout(0.5), Shape.Image(3, 8, 8))),
};
var verdicts = new List<(string Law, string Subject, LawResult Result)>();
foreach (var law in Laws.All)
    foreach (var (name, subject) in subjects)
        if (law.AppliesTo(subject).Applies)
            verdicts.Add((law.Name, name, law.Check(subject, options)));
foreach (var (law, subject, result) in verdicts)
    Console.WriteLine($"{law,-36} {subject,-20} {result.Status,-9} ({result.Cases} cases)");
Console.WriteLine($"{verdicts.Count(v => v.Result.Holds)} of {verdicts.Count} hold");

// ## A whole network
//
// `GraphLaws.Check` runs every applicable law against every node of a graph (on small maps), plus the laws about whole
// networks, such as the equivalence of a classifier and its fully convolutional conversion (the laws that do not apply
// to a node are left out below):

// cell 10
var report = GraphLaws.Check(ModelZoo.Get("lenet5"), options with { Cases = 5 });
foreach (var r in report.Results.Where(r => r.Result.Status != LawStatus.NotApplicable)) Console.WriteLine($"{r.Path,-8} {r.Kind,-8} {r.Result.Law,-36} {r.Result.Status}");
foreach (var m in report.Measurements) Console.WriteLine(m);
Console.WriteLine($"lenet5: {report.Holding} hold, {report.Violated} violated");

// cell 11
var byLaw = verdicts.Concat(report.Results.Select(r => (r.Result.Law, r.Path, r.Result))).GroupBy(v => v.Item1).OrderBy(g => g.Key).ToList();
var cases = Chart.Bar<int, string, string>(byLaw.Select(g => g.Sum(v => v.Item3.Cases)), Keys: byLaw.Select(g => g.Key).ToArray())
    .WithXAxisStyle<double, double, string>(TitleText: "cases checked")
    .WithSize(760, 520);
display(Titled(cases, "random cases per law in this notebook"));

// What display(…) does outside a notebook.
void display(object? value) => NotebookDisplay.Show(value);

file static class NotebookDisplay
{
    private static int charts;

    public static void Show(object? value)
    {
        if (value is Plotly.NET.GenericChart chart)
        {
            var folder = Path.Combine(Path.GetTempPath(), "cnnf-notebooks", "08-laws");
            var path = Path.Combine(folder, $"chart-{++charts}.html");
            new Cnn.Functional.Charts.HtmlReport($"08-laws, chart {charts}").Chart(chart).Save(path);
            Console.WriteLine($"[chart {charts}: {path}]");
        }
        else Console.WriteLine(value);
    }
}
