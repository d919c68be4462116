// Generated from 01-convolution.ipynb by the notebook tool: do not edit; edit the notebook and regenerate with
//   dotnet run --project Notebooks/Cnn.Functional.Notebooks -- twins
// Run it (from the repository root) with
//   dotnet run Notebooks/01-convolution.cs
// Markdown cells are comments; display(…) prints text and saves charts as HTML pages in a temporary folder.
#:project ../Core.CSharp/Cnn.Functional.Graph/Cnn.Functional.Graph.csproj
#:project ../Core.CSharp/Cnn.Functional.Torch/Cnn.Functional.Torch.csproj
#:project ../Dsl/Cnn.Functional.Dsl/Cnn.Functional.Dsl.csproj
#:project ../Core.CSharp/Cnn.Functional.Charts/Cnn.Functional.Charts.csproj

using Cnn.Functional;
using Cnn.Functional.Dsl;
using Cnn.Functional.Charts;
using Plotly.NET.CSharp;

// # 1. Convolution: its kinds and its size arithmetic
//
// A convolutional layer slides $K$ filters of size $F \times F$ over a $C \times W \times W$ input with stride $S$ and
// zero padding $P$. Each output side is
//
// $$O = \frac{W - F + 2P}{S} + 1,$$
//
// and with dilation $D$ the kernel covers $D(F - 1) + 1$ pixels, so $O = \frac{W - D(F-1) - 1 + 2P}{S} + 1$.
// The layer has $K(C F^2 + 1)$ parameters and costs $K C F^2 O^2$ multiply-accumulates (MACs).
// A transposed convolution runs the arithmetic backwards: $O = (W - 1)S - 2P + D(F - 1) + P_\text{out} + 1$.
//
// This notebook computes these numbers with the library — the same formulas its shape inference uses — for the
// lecture's kinds of convolution, and shows how quickly the receptive field grows with depth, stride and dilation.

// (cell 2 runs only in the notebook: it prepares the kit that #r loads; here #:project does that)

// cell 3
// A notebook host lists no native libraries: TorchSharp finds libtorch next to its assembly (kit/runtimes/) when
// asked to load it explicitly, before the first layer is created.
TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);

// Plotly.NET.CSharp has no WithTitle; Plotly.NET's own API titles a chart.
Plotly.NET.GenericChart Titled(Plotly.NET.GenericChart chart, string title) => Plotly.NET.Chart.withTitle(title, null).Invoke(chart);

// Charts are stored as Plotly figures (drawn by JupyterLab and VS Code) plus a PNG picture (shown by GitHub).
NotebookFormatters.RegisterFigures();

// ## The output-size formula
//
// `SizeFormulas.ConvOutput(W, F, P, S)` is $(W - F + 2P)/S + 1$ as a real number: when it is not an integer the stride
// does not tile the input, and the lecture calls that configuration invalid.

// cell 5
foreach (var (w, f, p, s) in new[] { (32, 5, 0, 1), (32, 3, 1, 1), (32, 4, 1, 2), (227, 11, 0, 4), (28, 5, 2, 1), (32, 5, 0, 2) })
{
    var o = SizeFormulas.ConvOutput(w, f, p, s);
    Console.WriteLine($"W = {w,3}, F = {f,2}, P = {p}, S = {s}:  O = ({w} − {f} + 2·{p})/{s} + 1 = {o}{(o % 1 == 0 ? "" : "   ← not an integer: invalid")}");
}

// A graph with such a layer is rejected when it is checked, with the numbers of the formula and the node's path — before any tensor exists:

// cell 7
var invalid = Graph.Create("invalid", Shape.Image(3, 32, 32)).Then("conv1", Layers.Conv(8, 5, stride: 2));
foreach (var error in invalid.Validate()) Console.WriteLine(error);

// ## Kinds of convolution on the same input
//
// Every layer below maps a $32 \times 28 \times 28$ input to 64 channels. Grouped convolutions split the channels into
// $G$ groups ($K C F^2 / G$ weights); depthwise-separable ones (MobileNet, Xception) do a per-channel $F \times F$ filter,
// then a $1 \times 1$ convolution ($C F^2 + C K$ weights); spatially separable ones factor $F \times F$ into
// $F \times 1$ then $1 \times F$; a locally connected layer has the geometry of a convolution without weight sharing.

// cell 9
var input = Shape.Image(32, 28, 28);
var kinds = new (string Name, Layer Layer)[]
{
    ("standard 3×3", Layers.Conv(64, 3, padding: 1)),
    ("1×1 (pointwise)", Layers.Conv1x1(64)),
    ("strided 4×4, S = 2", Layers.Conv(64, 4, stride: 2, padding: 1)),
    ("dilated 3×3, D = 2", Layers.DilatedConv(64, 3, dilation: 2, padding: 2)),
    ("grouped 3×3, G = 4", Layers.GroupConv(64, 3, groups: 4, padding: 1)),
    ("depthwise 3×3 (G = C)", Layers.GroupConv(32, 3, groups: 32, padding: 1)),
    ("depthwise-separable 3×3", Layers.DepthwiseSeparableConv(64, 3, padding: 1)),
    ("spatially separable 3×3", Layers.SpatiallySeparableConv(64, 3, padding: 1)),
    ("transposed 4×4, S = 2", Layers.ConvTranspose(64, 4, stride: 2, padding: 1)),
    ("locally connected 3×3", Layers.LocallyConnected(64, 3, padding: 1)),
};
var rows = kinds.Select(k => (k.Name, Node: Graph.Create("one", input).Then("layer", k.Layer).Summarize().Nodes.Last())).ToList();
Console.WriteLine($"{"kind",-26} {"output",-14} {"parameters",12} {"MACs",14}");
foreach (var (name, node) in rows)
    Console.WriteLine($"{name,-26} {node.OutputShape,-14} {node.Parameters,12:N0} {node.Macs,14:N0}");

// The standard $3 \times 3$ layer has $64 \cdot (32 \cdot 9 + 1) = 18{,}496$ parameters; the depthwise-separable one
// $32 \cdot 9 + 32 \cdot 64 + 64 = 2{,}400$ (a bias only after the $1 \times 1$ step), 7.7 times fewer for the same
// output shape.

// cell 11
var parameters = Chart.Column<long, string, string>(rows.Select(r => r.Node.Parameters), Keys: rows.Select(r => r.Name).ToArray())
    .WithYAxisStyle<double, double, string>(TitleText: "parameters", AxisType: Plotly.NET.StyleParam.AxisType.Log)
    .WithSize(760, 460);
display(Titled(parameters, "parameters of each kind (log scale), 32 → 64 channels on 28 × 28"));

// ## Receptive fields
//
// A unit's receptive field grows by $(F - 1) \cdot J$ per layer, where the jump $J$ is the product of the strides
// below it; dilation multiplies $F - 1$ by $D$. Six $3 \times 3$ layers see $13 \times 13$ pixels; with strides or
// doubling dilations the same depth sees far more.

// cell 13
Graph Stack(string name, Func<int, Layer> layer)
{
    var graph = Graph.Create(name, Shape.Image(1, 256, 256));
    for (var i = 1; i <= 6; i++) graph = graph.Then($"conv{i}", layer(i));
    return graph;
}
var stacks = new[]
{
    Stack("3×3, stride 1", i => Layers.Conv(8, 3, padding: 1)),
    Stack("3×3, stride 2 every other layer", i => Layers.Conv(8, i % 2 == 0 ? 4 : 3, stride: i % 2 == 0 ? 2 : 1, padding: 1)),
    Stack("3×3, dilation 1, 2, 4, …", i => Layers.DilatedConv(8, 3, dilation: 1 << (i - 1), padding: 1 << (i - 1))),
};
foreach (var stack in stacks)
    Console.WriteLine($"{stack.Name,-34} receptive field of conv6: {stack.Summarize().Nodes.Last().ReceptiveField}");
display(Plot.FieldGrowth(stacks));

// What display(…) does outside a notebook.
void display(object? value) => NotebookDisplay.Show(value);

file static class NotebookDisplay
{
    private static int charts;

    public static void Show(object? value)
    {
        if (value is Plotly.NET.GenericChart chart)
        {
            var folder = Path.Combine(Path.GetTempPath(), "cnnf-notebooks", "01-convolution");
            var path = Path.Combine(folder, $"chart-{++charts}.html");
            new Cnn.Functional.Charts.HtmlReport($"01-convolution, chart {charts}").Chart(chart).Save(path);
            Console.WriteLine($"[chart {charts}: {path}]");
        }
        else Console.WriteLine(value);
    }
}
