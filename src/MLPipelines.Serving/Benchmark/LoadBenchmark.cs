using System.Diagnostics;
using System.Net.Http.Headers;

namespace MLPipelines.Serving.Benchmark;

/// <summary>What a load run measured. Latencies are per request, as the client saw them.</summary>
public sealed record LoadResult(int Requests, int Errors, TimeSpan Elapsed, double[] LatenciesMs, IReadOnlyList<string> ErrorSamples)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;
    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0) return double.NaN;
        var sorted = LatenciesMs.Order().ToArray();
        int rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}

/// <summary>
/// N concurrent clients sending a fixed count of predict requests (the same image) to a server, each
/// client starting its next request when its previous one is answered (a closed loop).
/// </summary>
public static class LoadBenchmark
{
    public static async Task<LoadResult> RunAsync(Uri predictUrl, byte[] image, string contentType, int clients, int requests,
        IProgress<int>? progress = null, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clients, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(requests, 1);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, UseProxy = false })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
        var latencies = new double[requests];
        var samples = new List<string>();
        int next = -1, errors = 0, done = 0;
        var clock = Stopwatch.StartNew();

        async Task Client()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests && !cancel.IsCancellationRequested)
            {
                long start = Stopwatch.GetTimestamp();
                string? error = null;
                try
                {
                    using var content = new ByteArrayContent(image);
                    content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
                    using var response = await http.PostAsync(predictUrl, content, cancel);
                    string body = await response.Content.ReadAsStringAsync(cancel);
                    if (!response.IsSuccessStatusCode) error = $"{(int)response.StatusCode} {body}";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
                {
                    error = e.Message;
                }
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (error is not null)
                {
                    Interlocked.Increment(ref errors);
                    lock (samples) if (samples.Count < 5) samples.Add(error);
                }
                progress?.Report(Interlocked.Increment(ref done));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(Client, cancel)));
        cancel.ThrowIfCancellationRequested();
        return new LoadResult(requests, errors, clock.Elapsed, latencies, samples);
    }
}
