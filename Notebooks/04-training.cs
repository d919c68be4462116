// Generated from 04-training.ipynb by the notebook tool: do not edit; edit the notebook and regenerate with
//   dotnet run --project Notebooks/Cnn.Functional.Notebooks -- twins
// Run it (from the repository root) with
//   dotnet run Notebooks/04-training.cs
// Markdown cells are comments; display(…) prints text and saves charts as HTML pages in a temporary folder.
#:project ../Core.CSharp/Cnn.Functional.Graph/Cnn.Functional.Graph.csproj
#:project ../Core.CSharp/Cnn.Functional.Torch/Cnn.Functional.Torch.csproj
#:project ../Dsl/Cnn.Functional.Dsl/Cnn.Functional.Dsl.csproj
#:project ../Core.CSharp/Cnn.Functional.Charts/Cnn.Functional.Charts.csproj
#:project ../Core.CSharp/Cnn.Functional.MLNet/Cnn.Functional.MLNet.csproj

using Cnn.Functional;
using Cnn.Functional.Dsl;
using Cnn.Functional.Charts;
using Plotly.NET.CSharp;
using Cnn.Functional.Torch;
using Cnn.Functional.MLNet;
using Microsoft.ML;

// # 4. Training a CNN on Fashion-MNIST through an ML.NET pipeline
//
// The library offers a graph to ML.NET as a multiclass trainer: `mlContext.MulticlassClassification.Trainers.Cnn(graph)`.
// The pipeline reads Fashion-MNIST's IDX files as an `IDataView` (`Features`: a $1 \times 28 \times 28$ vector;
// `Label`: the class number), maps the label to a key, and trains LeNet-5 with Adam on the cross-entropy loss
//
// $$L = -\frac{1}{m}\sum_{i=1}^{m} \log \frac{e^{s_{y_i}}}{\sum_j e^{s_j}}$$
//
// over mini-batches of $m = 64$. `Evaluate` then reads the trainer's `Score` and `PredictedLabel` columns like those of
// any ML.NET trainer. To stay within a minute we train one epoch on 10,000 of the 60,000 training images and test on
// all 10,000 test images.

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
var fashion = FashionMnist.Load(limit: 10_000);
var mlContext = new MLContext(seed: 1);
IDataView train = mlContext.Data.LoadFromDataset(fashion.Train);
IDataView test = mlContext.Data.LoadFromDataset(fashion.Test);
foreach (var column in train.Schema) Console.WriteLine($"{column.Name,-10} {column.Type}");

// The pipeline: `MapValueToKey` (in class order, so key $k + 1$ is class $k$), then the CNN trainer. A `TrainingLog`
// records the trainer's progress events for the loss curve.

// cell 6
var log = new TrainingLog();
var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
    .Append(mlContext.MulticlassClassification.Trainers.Cnn(ModelZoo.Get("lenet5"), new CnnTrainerOptions
    {
        Training = new TrainingOptions { Epochs = 1, BatchSize = 64, LearningRate = 2e-3, BatchEventInterval = 5 },
        Progress = log,
    }));
var clock = System.Diagnostics.Stopwatch.StartNew();
var model = pipeline.Fit(train);
Console.WriteLine($"fitted in {clock.Elapsed.TotalSeconds:0.0} s: {log.Batches.Count} batch events, last training loss {log.Batches[^1].Loss:0.000}");

// cell 7
var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(test));
Console.WriteLine($"test micro-accuracy {metrics.MicroAccuracy:P2}, macro-accuracy {metrics.MacroAccuracy:P2}, log-loss {metrics.LogLoss:0.000} on {fashion.Test.Count:N0} images");

// cell 8
var loss = Chart.Line<int, double, string>(log.Batches.Select(b => b.Batch), log.Batches.Select(b => b.Loss), Name: "training loss")
    .WithXAxisStyle<double, double, string>(TitleText: "batch")
    .WithYAxisStyle<double, double, string>(TitleText: "cross-entropy")
    .WithSize(700, 380);
display(Titled(loss, "training loss, one epoch on 10,000 images"));

// The confusion matrix from ML.NET's metrics (rows: true class; columns: predicted). Shirts, T-shirts, pullovers
// and coats are the classes LeNet-5 confuses most.

// cell 10
var counts = metrics.ConfusionMatrix.Counts;
var confusion = ConfusionMatrix.FromRowMajor(counts.Count, counts.SelectMany(row => row.Select(c => (long)c)).ToList());
display(Plot.ConfusionMatrix(confusion, FashionMnist.ClassNames.Items.ToList()));

// What display(…) does outside a notebook.
void display(object? value) => NotebookDisplay.Show(value);

file static class NotebookDisplay
{
    private static int charts;

    public static void Show(object? value)
    {
        if (value is Plotly.NET.GenericChart chart)
        {
            var folder = Path.Combine(Path.GetTempPath(), "cnnf-notebooks", "04-training");
            var path = Path.Combine(folder, $"chart-{++charts}.html");
            new Cnn.Functional.Charts.HtmlReport($"04-training, chart {charts}").Chart(chart).Save(path);
            Console.WriteLine($"[chart {charts}: {path}]");
        }
        else Console.WriteLine(value);
    }
}
