global using Xunit;
global using MLNet.Subspace.IO;
