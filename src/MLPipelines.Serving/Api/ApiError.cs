namespace MLPipelines.Serving.Api;

/// <summary>A client's mistake, answered with <paramref name="status"/> and a one-line JSON error.</summary>
public sealed class ApiError(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>The body of every error response: <c>{"error": "...", "status": 404}</c>.</summary>
public sealed record ErrorResponse(string Error, int Status);
