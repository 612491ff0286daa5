using Microsoft.ML.Runtime;

namespace MLNet.Subspace.ML;

/// <summary>Writes to an ML.NET channel (shown by <c>MLContext.Log</c>); the convenient extensions are internal to ML.NET.</summary>
internal static class ChannelLog
{
    public static void Info(this IChannel channel, string message)
        => channel.Info(MessageSensitivity.None, message);
}
