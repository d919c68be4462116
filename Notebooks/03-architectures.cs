// Generated from 03-architectures.ipynb by the notebook tool: do not edit; edit the notebook and regenerate with
//   dotnet run --project Notebooks/Cnn.Functional.Notebooks -- twins
// Run it (from the repository root) with
//   dotnet run Notebooks/03-architectures.cs
// Markdown cells are comments; display(…) prints text and saves charts as HTML pages in a temporary folder.
#:project ../Core.CSharp/Cnn.Functional.Graph/Cnn.Functional.Graph.csproj
#:project ../Dsl/Cnn.Functional.Dsl/Cnn.Functional.Dsl.csproj
#:project ../Core.CSharp/Cnn.Functional.Torch/Cnn.Functional.Torch.csproj
#:project ../Core.CSharp/Cnn.Functional.Charts/Cnn.Functional.Charts.csproj

using Cnn.Functional;
using Cnn.Functional.Dsl;
using Cnn.Functional.Charts;
using Plotly.NET.CSharp;

// # 3. Architectures and their summaries
//
// The lecture's architectures, built by the library's zoo, summarised from shapes alone (no tensor is allocated):
// parameters, multiply-accumulates (MACs) per image and receptive fields, next to the numbers the papers report.
// Parameters of a convolution: $K(CF^2 + 1)$; of a dense layer: $N_\text{out}(N_\text{in} + 1)$.

// (cell 2 runs only in the notebook: it prepares the kit that #r loads; here #:project does that)

// cell 3
// A notebook host lists no native libraries: TorchSharp finds libtorch next to its assembly (kit/runtimes/) when
// asked to load it explicitly, before the first layer is created.
TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);

// Plotly.NET.CSharp has no WithTitle; Plotly.NET's own API titles a chart.
Plotly.NET.GenericChart Titled(Plotly.NET.GenericChart chart, string title) => Plotly.NET.Chart.withTitle(title, null).Invoke(chart);

// Charts are stored as Plotly figures (drawn by JupyterLab and VS Code) plus a PNG picture (shown by GitHub).
NotebookFormatters.RegisterFigures();

// ## LeNet-5
//
// The modern LeNet-5 (ReLU, max pooling, a $28 \times 28$ input padded by 2): every layer's output, parameters, MACs,
// memory and receptive field. The first dense layer finds its 400 inputs by shape inference.

// cell 5
var lenet = ModelZoo.Get("lenet5");
Console.Write(lenet.Summarize().ToTable());

// ## The zoo next to the papers
//
// Published counts: LeNet-5 "about 60,000 trainable parameters" (LeCun et al. 1998); AlexNet "60 million parameters"
// (Krizhevsky et al. 2012); VGG-16 138 M (Simonyan & Zisserman 2015, Table 2) and 15.3 G multiply-adds (He et al.
// 2016); GoogLeNet 6.8 M by its Table 1 and "1.5 billion multiply-adds" (Szegedy et al. 2015); ResNet-50 25.6 M and 3.8 G
// (He et al. 2016, Table 1; torchvision's v1.5 puts the stride in the 3×3 convolution, 4.1 G).

// cell 7
var papers = new (string Model, string Title, double PaperParameters, double PaperMacs)[]
{
    ("lenet5_1998", "LeNet-5 (1998)", 60_000, double.NaN),
    ("alexnet_2012", "AlexNet (2012)", 60e6, double.NaN),
    ("vgg16", "VGG-16", 138e6, 15.3e9),
    ("googlenet_2014", "GoogLeNet (2014)", 6.8e6, 1.5e9),
    ("resnet50", "ResNet-50", 25.6e6, 3.8e9),
};
var zoo = papers.Select(p => (p.Title, p.PaperParameters, p.PaperMacs, Summary: ModelZoo.Get(p.Model).Summarize())).ToList();
string Millions(double n) => double.IsNaN(n) ? "—" : n >= 1e9 ? $"{n / 1e9:0.00} G" : n >= 1e6 ? $"{n / 1e6:0.0} M" : $"{n:N0}";
Console.WriteLine($"{"model",-18} {"input",-14} {"parameters",14} {"paper",10} {"MACs",10} {"paper",10}");
foreach (var (title, paperParameters, paperMacs, s) in zoo)
    Console.WriteLine($"{title,-18} {s.Inputs[0],-14} {s.Totals.Parameters,14:N0} {Millions(paperParameters),10} {Millions(s.Totals.Macs),10} {Millions(paperMacs),10}");

// cell 8
var counted = Chart.Column<double, string, string>(zoo.Select(z => z.Summary.Totals.Parameters / 1e6), Keys: zoo.Select(z => z.Title).ToArray(), Name: "this library");
var published = Chart.Column<double, string, string>(zoo.Select(z => z.PaperParameters / 1e6), Keys: zoo.Select(z => z.Title).ToArray(), Name: "paper");
display(Titled(Chart.Combine(new[] { counted, published }).WithSize(760, 420), "parameters (millions)"));

// ## Where the cost is
//
// VGG-16 keeps most parameters in its fully connected layers and most MACs in its convolutions; ResNet-50 replaces
// the dense layers with global average pooling. The receptive field of the last convolution covers the whole image in
// both:

// cell 10
foreach (var name in new[] { "vgg16", "resnet50" })
{
    var summary = ModelZoo.Get(name).Summarize();
    var dense = summary.Nodes.Where(n => n.Kind == "dense").Sum(n => n.Parameters);
    var conv = summary.Nodes.Where(n => n.Kind == "conv").Sum(n => n.Macs);
    Console.WriteLine($"{name,-9} dense layers hold {dense / (double)summary.Totals.Parameters:P0} of the parameters; convolutions cost {conv / (double)summary.Totals.Macs:P0} of the MACs; " +
                      $"largest receptive field {summary.Nodes.Max(n => n.ReceptiveField.Size.Count == 0 ? 0 : n.ReceptiveField.Size[0])} pixels");
}
display(Plot.FieldGrowth(new[] { ModelZoo.Get("vgg16"), ModelZoo.Get("resnet50"), ModelZoo.Get("alexnet") }));

// What display(…) does outside a notebook.
void display(object? value) => NotebookDisplay.Show(value);

file static class NotebookDisplay
{
    private static int charts;

    public static void Show(object? value)
    {
        if (value is Plotly.NET.GenericChart chart)
        {
            var folder = Path.Combine(Path.GetTempPath(), "cnnf-notebooks", "03-architectures");
            var path = Path.Combine(folder, $"chart-{++charts}.html");
            new Cnn.Functional.Charts.HtmlReport($"03-architectures, chart {charts}").Chart(chart).Save(path);
            Console.WriteLine($"[chart {charts}: {path}]");
        }
        else Console.WriteLine(value);
    }
}
