module Cnn.Functional.FSharp.Tests.DslTests

open Xunit
open Cnn.Functional
open Cnn.Functional.Dsl
open Cnn.Functional.Tests

// LeNet-5 as an F# list of layers piped into a network: no casts, no interop code.
let lenetLayers : Layer list =
    [ Layers.Conv(6, 5, padding = 2); Layers.Relu(); Layers.MaxPool 2
      Layers.Conv(16, 5); Layers.Relu(); Layers.MaxPool 2
      Layers.Flatten()
      Layers.Dense 120; Layers.Relu()
      Layers.Dense 84; Layers.Relu()
      Layers.Dense 10 ]

[<Fact>]
let ``LeNet-5 piped from an F# list equals the C# chain`` () =
    let lenet =
        lenetLayers
        |> Net.Layers
        |> fun net -> net.ToGraph("lenet5", Shape.Image(1, 28, 28))
    Assert.Equal(CSharpReference.LeNet5Chain(), lenet)
    Assert.Equal(61706L, lenet.Summarize().Totals.Parameters)

[<Fact>]
let ``LeNet-5 folded from named F# pairs equals the C# zoo model`` () =
    let named =
        [ "conv1", Layers.Conv(6, 5, padding = 2); "relu1", Layers.Relu(); "pool1", Layers.MaxPool 2
          "conv2", Layers.Conv(16, 5); "relu2", Layers.Relu(); "pool2", Layers.MaxPool 2
          "flatten", Layers.Flatten()
          "fc1", Layers.Dense 120; "relu3", Layers.Relu()
          "fc2", Layers.Dense 84; "relu4", Layers.Relu()
          "fc3", Layers.Dense 10 ]
    let lenet =
        named
        |> List.fold (fun (graph: Graph) (path, layer) -> graph.Then(path, layer)) (Graph.Create("lenet5", Shape.Image(1, 28, 28)))
    Assert.Equal(LeNet.LeNet5(), lenet)

[<Fact>]
let ``A residual block from F# lists equals the C# one`` () =
    let body =
        [ Layers.Conv(64, 3, padding = 1, bias = false); Layers.BatchNorm(); Layers.Relu()
          Layers.Conv(64, 3, padding = 1, bias = false); Layers.BatchNorm() ]
        |> Net.Layers
    let block =
        [ Net.Residual body; Net.Layer(Layers.Relu()) ]
        |> Net.SequenceOf
        |> fun b -> Net.Scope("block1", b)
    let graph = block.ToGraph("residual", Shape.Image(64, 56, 56))
    Assert.Equal(CSharpReference.ResidualBlock(), graph)
    Assert.Equal<string seq>([ "block1/batchNorm2"; "input" ], graph.Find("block1/add").Inputs)

[<Fact>]
let ``Shape errors reach F# as the library's exception with the path and numbers`` () =
    let build () =
        [ Layers.Conv(8, 5, stride = 2) ] |> Net.Layers |> fun net -> net.ToGraph("bad", Shape.Image(3, 32, 32))
    let error = Assert.Throws<GraphException>(fun () -> build () |> ignore)
    Assert.StartsWith("conv1: (32 − 5 + 2·0)/2 + 1 = 14.5 is not an integer", error.Message)

[<Fact>]
let ``Summaries and JSON are plain values in F#`` () =
    let lenet = LeNet.LeNet5()
    let summary = lenet.Summarize()
    let convs = summary.Nodes |> Seq.filter (fun n -> n.Kind = "conv") |> Seq.map (fun n -> n.Parameters) |> List.ofSeq
    Assert.Equal<int64 list>([ 156L; 2416L ], convs)
    Assert.Equal(lenet, lenet.ToJson() |> Graph.FromJson)
