using System.Runtime.CompilerServices;

// Lowering reuses the exact window geometry (padding on each side) that inference computed.
[assembly: InternalsVisibleTo("Cnn.Functional.Torch")]
