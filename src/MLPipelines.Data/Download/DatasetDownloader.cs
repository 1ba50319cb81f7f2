using MLPipelines.Data.Datasets;
using MLPipelines.Data.Idx;

namespace MLPipelines.Data.Download;

/// <summary>
/// Fetches the missing files of an IDX data set from its mirrors, in order, as torchvision does: a mirror
/// that fails (unreachable, HTTP error, bad checksum) is followed by the next. Each file is written to a
/// <c>.part</c> file, verified, and only then renamed into place, so an interrupted or corrupt download
/// leaves nothing behind that looks like data.
/// </summary>
public sealed class DatasetDownloader(HttpClient http)
{
    const int BufferSize = 81920;

    /// <summary>Downloads each file of <paramref name="spec"/> that is missing or fails its check. Returns the files fetched.</summary>
    public async Task<IReadOnlyList<string>> FetchMissingAsync(IdxDatasetSpec spec, string folder,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancel = default)
    {
        if (spec.Mirrors.Count == 0)
            throw new DownloadException($"{spec.Name}: no download mirror is known; put its files in {folder}");
        Directory.CreateDirectory(folder);
        var fetched = new List<string>();
        foreach (DataFileStatus status in IdxDatasetLoader.Check(spec, folder))
        {
            if (status.Ok) continue;
            fetched.Add(await FetchAsync(spec, status.Spec, folder, progress, cancel));
        }
        return fetched;
    }

    async Task<string> FetchAsync(IdxDatasetSpec spec, IdxFileSpec file, string folder,
        IProgress<DownloadProgress>? progress, CancellationToken cancel)
    {
        string target = Path.Combine(folder, file.GzipName);
        string part = target + ".part";
        var failures = new List<string>();
        foreach (string mirror in spec.Mirrors)
        {
            string url = mirror.TrimEnd('/') + "/" + file.GzipName;
            try
            {
                await DownloadToAsync(url, part, file.GzipName, progress, cancel);
                IdxArray content = IdxReader.Read(part);
                if (!ChecksumMatches(file, part, content)) throw new DownloadException("checksum mismatch");
                RemoveStale(folder, file);
                File.Move(part, target, overwrite: true);
                return target;
            }
            catch (OperationCanceledException)
            {
                TryDelete(part);
                throw;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or IdxFormatException or DownloadException or TaskCanceledException)
            {
                TryDelete(part);
                failures.Add($"{url}: {Describe(e)}");
            }
        }
        throw new DownloadException($"could not download {file.GzipName}: " + string.Join("; ", failures));
    }

    async Task DownloadToAsync(string url, string path, string name, IProgress<DownloadProgress>? progress, CancellationToken cancel)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancel);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        long? total = response.Content.Headers.ContentLength;
        await using var source = await response.Content.ReadAsStreamAsync(cancel);
        await using var sink = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
        var buffer = new byte[BufferSize];
        long received = 0;
        int read;
        progress?.Report(new DownloadProgress(name, url, 0, total));
        while ((read = await source.ReadAsync(buffer, cancel)) > 0)
        {
            await sink.WriteAsync(buffer.AsMemory(0, read), cancel);
            received += read;
            progress?.Report(new DownloadProgress(name, url, received, total));
        }
        if (total is long expected && received != expected)
            throw new IOException($"connection closed after {received:N0} of {expected:N0} bytes");
    }

    // SHA-256 of the content when known; else the MD5 of the bytes the mirror served (the .part file).
    static bool ChecksumMatches(IdxFileSpec file, string part, IdxArray content)
    {
        if (file.Sha256 is not null) return string.Equals(content.Sha256, file.Sha256, StringComparison.OrdinalIgnoreCase);
        if (file.GzipMd5 is null) return true;
        using var stream = File.OpenRead(part);
        return Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(stream)) == file.GzipMd5;
    }

    // A corrupt raw (uncompressed) copy would shadow the fresh .gz: Find() looks for the raw name first.
    static void RemoveStale(string folder, IdxFileSpec file)
    {
        string raw = Path.Combine(folder, file.Name);
        if (File.Exists(raw)) File.Delete(raw);
    }

    static string Describe(Exception e) => e switch
    {
        HttpRequestException { InnerException: { } inner } => inner.Message,
        TaskCanceledException => "timed out",
        _ => e.Message,
    };

    static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { }
    }
}
