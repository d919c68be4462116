// Generated from 02-pooling.ipynb by the notebook tool: do not edit; edit the notebook and regenerate with
//   dotnet run --project Notebooks/Cnn.Functional.Notebooks -- twins
// Run it (from the repository root) with
//   dotnet run Notebooks/02-pooling.cs
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
using Cnn.Functional.Torch;
using Cnn.Functional.Properties;
using TorchSharp;

// # 2. Pooling and invariance
//
// Pooling summarises each $F \times F$ window with stride $S$: max pooling keeps the largest value, average pooling
// the mean. Its output side is $O = (W - F)/S + 1$, it has no parameters, and it leaves the channels alone.
//
// The lecture: *convolution provides equivariance, pooling provides invariance* — to **small** translations. A
// max-pooled output does not change when the input moves by a pixel as long as the window's maximum stays inside
// the window. This notebook measures how often that happens, on random inputs and on Fashion-MNIST images.

// (cell 2 runs only in the notebook: it prepares the kit that #r loads; here #:project does that)

// cell 3
// A notebook host lists no native libraries: TorchSharp finds libtorch next to its assembly (kit/runtimes/) when
// asked to load it explicitly, before the first layer is created.
TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);

// Plotly.NET.CSharp has no WithTitle; Plotly.NET's own API titles a chart.
Plotly.NET.GenericChart Titled(Plotly.NET.GenericChart chart, string title) => Plotly.NET.Chart.withTitle(title, null).Invoke(chart);

// Charts are stored as Plotly figures (drawn by JupyterLab and VS Code) plus a PNG picture (shown by GitHub).
NotebookFormatters.RegisterFigures();

// ## One bright pixel
//
// A single bright pixel moved one step to the right: within a $2 \times 2$ window the max-pooled map does not change;
// across a window border it does. The convolution's output, by contrast, moves with the input (equivariance).

// cell 5
var pool = GraphModule.Create(Graph.Create("pool", Shape.Image(1, 8, 8)).Then("pool", Layers.MaxPool(2)));
torch.Tensor Dot(int row, int column)
{
    var image = torch.zeros(1, 1, 8, 8);
    image[0, 0, row, column] = torch.tensor(1f);
    return image;
}
string Ones(torch.Tensor map) => string.Join(" ", Enumerable.Range(0, (int)map.shape[2]).SelectMany(r => Enumerable.Range(0, (int)map.shape[3])
    .Where(c => map[0, 0, r, c].item<float>() > 0).Select(c => $"({r}, {c})")));
foreach (var column in new[] { 2, 3, 4 })
    Console.WriteLine($"pixel at (3, {column}) → max-pooled 4 × 4 map is 1 at {Ones(pool.forward(Dot(3, column)))}");

// ## How often is a max-pooled output unchanged by a one-pixel shift?
//
// For independent $\mathcal{N}(0, 1)$ inputs and $2 \times 2$ windows with stride 2, an output survives a shift only
// when the largest of the six values the two positions see lies in their shared column: about $1/3$. The laws
// library measures this (`ShiftStability`); overlapping windows do better.

// cell 7
foreach (var (name, layer) in new (string, Layer)[] { ("max pool 2×2, S = 2", Layers.MaxPool(2)), ("max pool 3×3, S = 2 (overlapping)", Layers.OverlappingMaxPool(3, 2, Rounding.Floor)), ("max pool 4×4, S = 4", Layers.MaxPool(4)) })
    Console.WriteLine($"{name,-36} {ShiftStability.Measure(Subject.For(layer, Shape.Image(4, 16, 16)), samples: 20).Value:P1} unchanged");

// Do real images behave like noise here? On 500 Fashion-MNIST test images, shifted one pixel to the right, we
// count the pooled outputs (over non-background positions) that keep their value exactly:

// cell 9
var fashion = FashionMnist.Load(limit: 500);
var images = fashion.Test.Images;
var shifted = torch.roll(images, 1, 3);   // the images have a black border, so rolling is shifting
double Unchanged(Layer layer)
{
    using var scope = torch.NewDisposeScope();
    using var module = GraphModule.Create(Graph.Create("p", Shape.Image(1, 28, 28)).Then("pool", layer));
    module.eval();
    var before = module.forward(images);
    var after = module.forward(shifted);
    var foreground = before.gt(0.05f);
    var same = (before - after).abs().lt(1e-6f).logical_and(foreground);
    return same.sum().item<long>() / (double)foreground.sum().item<long>();
}
var pools = new (string Name, Layer Layer)[]
{
    ("avg 2×2", Layers.AvgPool(2)),
    ("max 2×2", Layers.MaxPool(2)),
    ("max 3×3, S = 2", Layers.OverlappingMaxPool(3, 2, Rounding.Floor)),
    ("max 4×4", Layers.MaxPool(4)),
    ("max 7×7", Layers.MaxPool(7)),
    ("global max", Layers.GlobalMaxPool()),
};
var unchanged = pools.Select(p => (p.Name, Fraction: Unchanged(p.Layer))).ToList();
foreach (var (name, fraction) in unchanged) Console.WriteLine($"{name,-16} {fraction:P1} of the outputs unchanged by a 1-pixel shift");

// cell 10
var stability = Chart.Column<double, string, string>(unchanged.Select(u => u.Fraction), Keys: unchanged.Select(u => u.Name).ToArray())
    .WithYAxisStyle<double, double, string>(TitleText: "fraction unchanged")
    .WithSize(700, 420);
display(Titled(stability, "Fashion-MNIST: pooled outputs unchanged by a 1-pixel shift"));

// Average pooling changes almost everywhere (every pixel counts); max pooling keeps a share that grows with the
// window, and global max pooling is exactly invariant to shifts that keep the object inside the image. Larger windows buy
// invariance with resolution: a $7 \times 7$ window leaves a $4 \times 4$ map of a $28 \times 28$ image.

// What display(…) does outside a notebook.
void display(object? value) => NotebookDisplay.Show(value);

file static class NotebookDisplay
{
    private static int charts;

    public static void Show(object? value)
    {
        if (value is Plotly.NET.GenericChart chart)
        {
            var folder = Path.Combine(Path.GetTempPath(), "cnnf-notebooks", "02-pooling");
            var path = Path.Combine(folder, $"chart-{++charts}.html");
            new Cnn.Functional.Charts.HtmlReport($"02-pooling, chart {charts}").Chart(chart).Save(path);
            Console.WriteLine($"[chart {charts}: {path}]");
        }
        else Console.WriteLine(value);
    }
}
