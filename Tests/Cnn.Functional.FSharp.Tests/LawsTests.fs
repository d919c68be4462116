module Cnn.Functional.FSharp.Tests.LawsTests

open Xunit
open Cnn.Functional
open Cnn.Functional.Properties

// The laws are values: pick one, point it at a layer, read the result. No interop code, no casts.
let options = LawOptions(Cases = 30, Seed = 5)

[<Fact>]
let ``A convolution of my own obeys the convolution laws, checked from F#`` () =
    let conv = Subject.For(Layers.Conv(4, 3, padding = Padding.Same), Shape.Image(2, 8, 8))
    let holding =
        Laws.All
        |> Seq.map (fun law -> law.Check(conv, options))
        |> Seq.filter (fun result -> result.Status = LawStatus.Holds)
        |> Seq.map (fun result -> result.Law)
        |> List.ofSeq
    Assert.Equal<string list>([ "translation-equivariance"; "linearity"; "adjoint"; "conv-backprop"; "shape-inference" ], holding)

[<Fact>]
let ``A broken layer is caught with its counterexample, from F#`` () =
    let mirrored =
        Subject.For(Layers.Conv(3, 3, padding = Padding.Same), Shape.Image(1, 8, 8))
            .WithForward("a mirrored output", fun node inputs -> node.Forward(inputs).flip(3L))
    let result = Laws.TranslationEquivariance.Check(mirrored, options)
    Assert.Equal(LawStatus.Violated, result.Status)
    match Option.ofObj result.Counterexample with
    | Some counterexample ->
        Assert.Contains("a mirrored output", counterexample.Configuration)
        Assert.True(counterexample.LargestDifference > counterexample.Tolerance)
    | None -> failwith "a violation has a counterexample"

[<Fact>]
let ``Generated families pipe into a law`` () =
    let result =
        SubjectGenerators.DepthwiseSeparableConvolutions()
        |> SubjectArbitraries.Of
        |> fun subjects -> Laws.DepthwiseSeparableDecomposition.Check(subjects, options)
    Assert.True(result.Holds, string result)
