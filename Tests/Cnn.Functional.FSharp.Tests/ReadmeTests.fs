module Cnn.Functional.FSharp.Tests.ReadmeTests

open System
open System.IO
open System.Text.RegularExpressions
open Xunit
open Cnn.Functional
open Cnn.Functional.Dsl
open Cnn.Functional.Torch

// Runs an example that prints, with the console captured (printf writes to Console.Out as it is at the call).
let private captured (example: unit -> unit) =
    let previous = Console.Out
    use writer = new StringWriter()
    Console.SetOut writer
    try example () finally Console.SetOut previous
    writer.ToString()

// The README's F# quick start, run exactly as written: the lines between the markers are compared with the README's
// ```fsharp block by ReadmeDriftTests (Tests/Cnn.Functional.Charts.Tests).
let private quickStart () =
    // ---- README: quick start ----
    let net =
        [ Layers.Conv(8, 3, padding = 1); Layers.Relu(); Layers.MaxPool 2
          Layers.Conv(16, 3, padding = 1); Layers.Relu(); Layers.MaxPool 2
          Layers.Flatten(); Layers.Dense 10 ]
        |> Net.Layers
        |> fun layers -> layers.ToGraph("small-cnn", Shape.Image(1, 28, 28))
    printf "%s" (net.Summarize().ToTable())

    use data = FashionMnist.Load(limit = 2000)         // the first 2,000 training and test images
    use cnn = GraphModule.Create net
    use trainer = new Trainer(cnn, TrainingOptions(Epochs = 2))
    trainer.Fit data.Train |> ignore
    printfn "test accuracy %.1f%%" (100.0 * trainer.Evaluate(data.Test).Accuracy)
    // ----

[<Fact>]
let ``The F# quick start prints a summary and a test accuracy well above chance`` () =
    let printed = captured quickStart
    Assert.StartsWith("Model: small-cnn    input [1, 28, 28]", printed)
    Assert.Contains("Parameters: 9,098 ", printed)
    let accuracy = Regex.Match(printed, @"test accuracy (\d+\.\d)%")
    Assert.True(accuracy.Success, printed)
    // Two epochs on 2,000 images: far above chance (10%).
    Assert.InRange(float accuracy.Groups[1].Value, 50.0, 100.0)
