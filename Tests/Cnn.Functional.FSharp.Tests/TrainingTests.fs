module Cnn.Functional.FSharp.Tests.TrainingTests

open Xunit
open TorchSharp
open Cnn.Functional
open Cnn.Functional.Dsl
open Cnn.Functional.Torch

// Two classes an F# script can make: a bright left half or a bright right half, 1×8×8.
let halves (count: int) =
    let pixels =
        Array.init (count * 64) (fun i ->
            let n, x = i / 64, i % 8
            if (n % 2 = 0) = (x < 4) then 1.0f else 0.0f)
    let labels = Array.init count (fun n -> int64 (n % 2))
    new Dataset("halves", torch.tensor(pixels).reshape(int64 count, 1L, 8L, 8L), torch.tensor(labels), 2,
                EquatableArray.Of("left", "right"))

let trunk =
    Graph.Create("halves", Shape.Image(1, 8, 8))
        .Then("conv1", Layers.Conv(4, 3, padding = 1))
        .Then("relu1", Layers.Relu())
        .Then("pool", Layers.GlobalAvgPool())
        .Then("head", Layers.Dense 2)

[<Fact>]
let ``A transfer-learning recipe reads as F# records and pipes`` () =
    use data = halves 64
    use source = GraphModule.Create trunk
    Initialization.Apply(source, InitializationPlan.Parse "he-normal", 7L) |> ignore

    let tuned = trunk.Replace("head", Layers.Dense 2).Freeze "conv1"
    use target = GraphModule.Create tuned
    let report = Transfer.LoadWeights(target, source, TransferOptions.Only "conv1")
    Assert.Equal(2, report.Loaded.Count)

    let options =
        TrainingOptions(
            Epochs = 3, BatchSize = 16, LearningRate = 0.05,
            Optimizer = Optimizers.Sgd(momentum = 0.9, weightDecay = 0.0),
            Augmentation = AugmentationPolicy(CropPadding = 1),
            LearningRateScales = EquatableArray.Of(LearningRateScale("head", 0.5)))
    use trainer = new Trainer(target, options)
    let result = trainer.Fit data
    Assert.Equal(StopReason.Completed, result.Reason)
    Assert.Equal<string seq>([ "head.weight"; "head.bias" ] |> Seq.sort, trainer.Optimizer.ParameterNames |> Seq.sort)

[<Fact>]
let ``A network at another input size is measured with one call and an options record`` () =
    let report =
        ModelZoo.Get("lenet5").WithInput(Shape.Image(1, 32, 32))
        |> fun graph -> Speed.Measure(graph, SpeedOptions(BatchSize = 8, Steps = 2, InferenceBatchSize = 8, InferenceSeconds = 0.05, MatmulSeconds = 0.05))
    Assert.Equal(61706L + 21120L, report.Parameters)
    Assert.True(report.TrainSamplesPerSecond > 0.0 && report.InferenceSamplesPerSecond > 0.0)
    Assert.Equal(report.TrainGflops / report.MatmulPeakGflops, report.TrainShareOfMatmulPeak, 12)
