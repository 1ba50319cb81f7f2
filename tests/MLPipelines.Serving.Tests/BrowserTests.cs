using Microsoft.Playwright;
using MLPipelines.Serving.Tests.Support;

namespace MLPipelines.Serving.Tests;

/// <summary>
/// The drawing page in a real headless browser: Debian's Chromium (CI installs it), driven by Playwright.
/// The mouse draws a digit on the canvas, files are dropped and picked, and any request that would leave
/// this machine is blocked and fails the test.
/// </summary>
[TestClass]
public sealed class BrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const int Pad = 280; // the canvas's own size in pixels
    private static TestServer? server;
    private static IPlaywright? playwright;
    private static IBrowser? browser;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        if (!File.Exists(Chromium)) return;
        server = await TestServer.StartAsync();
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium, // Playwright's own browser download cannot work here
            Headless = true,
            ChromiumSandbox = false,
            Args =
            [
                "--no-sandbox", // tests run as root on CI
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--disable-gpu",
            ],
        });
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        if (browser is not null) await browser.CloseAsync();
        playwright?.Dispose();
        if (server is not null) await server.DisposeAsync();
    }

    [TestMethod]
    [TestCategory("slow")]
    public async Task DrawingADigit_ShowsItsPrediction_WhileDrawing()
    {
        var (page, problems) = await OpenAsync();
        // A "7": the top bar, then the long diagonal, drawn slowly enough that predictions arrive during the stroke.
        var box = await PadAsync(page);
        await page.Mouse.MoveAsync(At(box, 70, 62).X, At(box, 70, 62).Y);
        await page.Mouse.DownAsync();
        foreach (var (x, y) in new[] { (140.0, 58.0), (210.0, 56.0), (185.0, 110.0), (160.0, 165.0), (140.0, 230.0) })
        {
            var p = At(box, x, y);
            await page.Mouse.MoveAsync(p.X, p.Y, new MouseMoveOptions { Steps = 8 });
        }
        // Still drawing: the page has already shown a prediction of the unfinished stroke.
        await page.WaitForFunctionAsync("() => Number(document.getElementById('result').dataset.shown || 0) >= 1");
        await page.Mouse.UpAsync();

        Assert.AreEqual("7", await PredictionAsync(page));
        Assert.AreEqual(3, await page.Locator("#bars li").CountAsync(), "top-3 bars");
        // The first bar is (nearly) full: its fill spans the track in proportion to the probability.
        await page.WaitForFunctionAsync(@"() => {
            const li = document.querySelector('#bars li');
            const p = parseFloat(li.querySelector('.p').textContent) / 100;
            const fill = li.querySelector('.fill').getBoundingClientRect().width, track = li.querySelector('.track').getBoundingClientRect().width;
            return track > 0 && Math.abs(fill / track - p) < 0.02;
        }");
        await ScreenshotAsync(page, "serve-drawn-7.png");

        await page.ClickAsync("#clear");
        Assert.AreEqual("–", await page.Locator("#label").TextContentAsync());
        Assert.AreEqual(0, await page.Locator("#bars li").CountAsync());
        Assert.AreEqual(0, await InkedPixelsAsync(page), "Clear empties the canvas");
        Assert.IsEmpty(problems, string.Join("; ", problems));
    }

    [TestMethod]
    [TestCategory("slow")]
    public async Task DrawingAFour_InTwoStrokes()
    {
        var (page, problems) = await OpenAsync();
        await DrawAsync(page, [[(95, 50), (75, 155), (205, 155)], [(170, 60), (168, 150), (165, 240)]]);
        Assert.AreEqual("4", await PredictionAsync(page));
        Assert.IsEmpty(problems, string.Join("; ", problems));
    }

    [TestMethod]
    public async Task DroppingAnImageFile_ShowsItsPrediction()
    {
        var (page, problems) = await OpenAsync();
        string file = TestFiles.Digit("drawn", 3);
        await page.EvaluateAsync(@"([base64, name]) => {
            const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
            const data = new DataTransfer();
            data.items.add(new File([bytes], name, { type: 'image/png' }));
            const pad = document.getElementById('pad');
            for (const type of ['dragenter', 'dragover', 'drop'])
                pad.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
        }", new object[] { Convert.ToBase64String(File.ReadAllBytes(file)), "3.png" });

        Assert.AreEqual("3", await PredictionAsync(page));
        Assert.IsGreaterThan(100, await InkedPixelsAsync(page), "the dropped image is shown on the canvas");
        await ScreenshotAsync(page, "serve-dropped-3.png");
        Assert.IsEmpty(problems, string.Join("; ", problems));
    }

    [TestMethod]
    public async Task PickingAFile_ShowsItsPrediction_AndANonImageShowsTheServersError()
    {
        var (page, problems) = await OpenAsync();
        await page.Locator("#file").SetInputFilesAsync(TestFiles.Digit("photos", 6));
        Assert.AreEqual("6", await PredictionAsync(page));

        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = "not an image"u8.ToArray() });
        await page.WaitForSelectorAsync("#result[data-state=error]");
        StringAssert.Contains(await page.Locator("#status").TextContentAsync(), "not an image");
        // The failed request is the server's 415, logged by the browser as a failed resource; nothing else went wrong.
        Assert.IsEmpty(problems.Where(p => !p.Contains("415")), string.Join("; ", problems));
    }

    private async Task<(IPage Page, List<string> Problems)> OpenAsync()
    {
        if (browser is null) Assert.Inconclusive($"{Chromium} is not installed (CI installs Debian's chromium package)");
        var problems = new List<string>();
        var context = await browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 900, Height = 640 } });
        TestContext.CancellationToken.Register(() => _ = context.CloseAsync());
        // Nothing outside this server may be fetched: such requests are refused and reported.
        await context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith(server!.BaseUrl, StringComparison.Ordinal) || route.Request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                await route.ContinueAsync();
                return;
            }
            lock (problems) problems.Add($"external request: {route.Request.Url}");
            await route.AbortAsync();
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        page.Console += (_, m) =>
        {
            // A stroke just begun can be too little to read: the server's 422 is answered on the page, not a fault.
            if (m.Type == "error" && !m.Text.Contains("status of 422", StringComparison.Ordinal)) lock (problems) problems.Add($"console: {m.Text}");
        };
        page.PageError += (_, e) => { lock (problems) problems.Add($"page error: {e}"); };
        await page.GotoAsync(server!.BaseUrl);
        await page.WaitForSelectorAsync("body[data-ready=true]");
        Assert.AreEqual("digits", await page.Locator("#model").InputValueAsync());
        return (page, problems);
    }

    private static async Task<LocatorBoundingBoxResult> PadAsync(IPage page) => (await page.Locator("#pad").BoundingBoxAsync())!;

    private static (float X, float Y) At(LocatorBoundingBoxResult box, double x, double y) =>
        ((float)(box.X + x * box.Width / Pad), (float)(box.Y + y * box.Height / Pad));

    /// <summary>Draws strokes given in canvas pixels, each a mouse press, moves through its points, release.</summary>
    private static async Task DrawAsync(IPage page, (double X, double Y)[][] strokes)
    {
        var box = await PadAsync(page);
        foreach (var stroke in strokes)
        {
            var start = At(box, stroke[0].X, stroke[0].Y);
            await page.Mouse.MoveAsync(start.X, start.Y);
            await page.Mouse.DownAsync();
            foreach (var (x, y) in stroke.Skip(1))
            {
                var p = At(box, x, y);
                await page.Mouse.MoveAsync(p.X, p.Y, new MouseMoveOptions { Steps = 6 });
            }
            await page.Mouse.UpAsync();
        }
    }

    /// <summary>The label shown once the page has no prediction pending (the answer for the final input).</summary>
    private static async Task<string> PredictionAsync(IPage page)
    {
        await page.WaitForSelectorAsync("#result[data-state=done], #result[data-state=error]");
        string state = (await page.Locator("#result").GetAttributeAsync("data-state"))!;
        string status = (await page.Locator("#status").TextContentAsync())!;
        Assert.AreEqual("done", state, status);
        return (await page.Locator("#label").TextContentAsync())!;
    }

    private static Task<int> InkedPixelsAsync(IPage page) => page.EvaluateAsync<int>(@"() => {
        const pad = document.getElementById('pad');
        const pixels = pad.getContext('2d').getImageData(0, 0, pad.width, pad.height).data;
        let inked = 0;
        for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 200 || pixels[i + 1] < 200 || pixels[i + 2] < 200) inked++;
        return inked;
    }");

    private async Task ScreenshotAsync(IPage page, string name)
    {
        string folder = TestContext.TestResultsDirectory ?? AppContext.BaseDirectory;
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddResultFile(path);
        TestContext.WriteLine($"screenshot: {path}");
    }
}
