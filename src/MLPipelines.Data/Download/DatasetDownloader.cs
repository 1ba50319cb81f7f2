using MLPipelines.Data.Datasets;
using MLPipelines.Data.Idx;

namespace MLPipelines.Data.Download;

/// <summary>
/// Fetches the files of an IDX data set from its mirrors, in order, as torchvision does: a mirror that fails
/// (unreachable, HTTP error, bad checksum) is followed by the next. Each file is written to a <c>.part</c> file,
/// verified, and only then renamed into place, so an interrupted or corrupt download leaves nothing behind that looks
/// like data. A file already there is the user's: it is never deleted or overwritten. <see cref="FetchMissingAsync"/>
/// only fills gaps; <see cref="RepairAsync"/> moves a bad file aside (<c>NAME.bad</c>) before fetching it again.
/// </summary>
public sealed class DatasetDownloader(HttpClient http)
{
    const int BufferSize = 81920;

    /// <summary>Downloads each file of <paramref name="spec"/> that is missing; files present (good or bad) are left alone. Returns the files fetched.</summary>
    public async Task<IReadOnlyList<string>> FetchMissingAsync(IdxDatasetSpec spec, string folder,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancel = default)
    {
        var missing = IdxDatasetLoader.Check(spec, folder).Where(s => !s.Found).ToList();
        if (missing.Count == 0) return [];
        RequireMirrors(spec, folder);
        Directory.CreateDirectory(folder);
        var fetched = new List<string>();
        foreach (DataFileStatus status in missing)
            fetched.Add(await FetchAsync(spec, status.Spec, folder, progress, cancel));
        return fetched;
    }

    /// <summary>
    /// Replaces the files that fail their checks: each is first moved aside to <c>NAME.bad</c> (<c>NAME.bad.1</c>, ...
    /// when that exists), then a verified copy is downloaded; missing files are fetched too. A download that fails leaves
    /// the moved file where it is, so nothing is lost.
    /// </summary>
    public async Task<RepairResult> RepairAsync(IdxDatasetSpec spec, string folder,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancel = default)
    {
        var problems = IdxDatasetLoader.Check(spec, folder).Where(s => !s.Ok).ToList();
        if (problems.Count == 0) return new RepairResult([], []);
        RequireMirrors(spec, folder);
        Directory.CreateDirectory(folder);
        var moved = new List<(string, string)>();
        foreach (DataFileStatus bad in problems.Where(p => p.Bad))
        {
            string aside = FreeName(bad.Path! + ".bad");
            File.Move(bad.Path!, aside, overwrite: false);
            moved.Add((bad.Path!, aside));
        }
        var fetched = new List<string>();
        foreach (DataFileStatus status in IdxDatasetLoader.Check(spec, folder).Where(s => !s.Found))
            fetched.Add(await FetchAsync(spec, status.Spec, folder, progress, cancel));
        return new RepairResult(moved, fetched);
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
                // Never over a file that appeared meanwhile: that one is the user's.
                File.Move(part, target, overwrite: false);
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

    // A download is always verified: the SHA-256 of the content when known, else the MD5 of the exact bytes served
    // (the .part file), and the expected shape.
    static bool ChecksumMatches(IdxFileSpec file, string part, IdxArray content)
    {
        if (file.Sha256 is not null) return string.Equals(content.Sha256, file.Sha256, StringComparison.OrdinalIgnoreCase);
        if (!file.ShapeMatches(content.Shape)) return false;
        return file.GzipMd5 is null || IdxDatasetLoader.GzipMd5Matches(file, part);
    }

    static void RequireMirrors(IdxDatasetSpec spec, string folder)
    {
        if (spec.Mirrors.Count == 0)
            throw new DownloadException($"{spec.Name}: no download mirror is known; put its files in {folder}");
    }

    /// <summary><paramref name="path"/>, or path.1, path.2, ... : the first name no file has.</summary>
    static string FreeName(string path)
    {
        string candidate = path;
        for (int i = 1; File.Exists(candidate) || Directory.Exists(candidate); i++) candidate = $"{path}.{i}";
        return candidate;
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

/// <summary>What <see cref="DatasetDownloader.RepairAsync"/> did: the bad files it moved aside (from, to) and the files it downloaded.</summary>
public sealed record RepairResult(IReadOnlyList<(string From, string To)> MovedAside, IReadOnlyList<string> Fetched);
