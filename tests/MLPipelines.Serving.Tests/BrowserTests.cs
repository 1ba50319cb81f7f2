using Microsoft.Playwright;
using MLPipelines.Serving.Tests.Support;

namespace MLPipelines.Serving.Tests;

/// <summary>
/// The drawing page in a real headless browser: Debian's Chromium (CI installs it), driven by Playwright.
/// The mouse draws digits and letters on the canvas, files are dropped and picked, and any request that would
/// leave this machine is blocked and fails the test. The committed models run in the browser (ONNX Runtime Web,
/// served by the server itself); their predictions are compared with the server's for the same picture.
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
        server = await TestServer.StartAsync(alsoServe: TestFiles.GreekModel);
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


    // Strokes in the 280-unit space of the pad as shown (the tests' coordinates), one array per pen stroke.
    private static readonly (string Label, (double X, double Y)[][] Strokes)[] Digits =
    [
        ("7", [[(70, 62), (140, 58), (210, 56), (185, 110), (160, 165), (140, 230)]]),
        ("4", [[(95, 50), (75, 155), (205, 155)], [(170, 60), (168, 150), (165, 240)]]),
        ("1", [[(120, 70), (145, 50), (145, 150), (142, 240)]]),
        ("0", [[(140, 45), (95, 70), (80, 140), (95, 210), (140, 235), (185, 210), (200, 140), (185, 70), (140, 45)]]),
    ];

    private static readonly (string Label, (double X, double Y)[][] Strokes)[] Letters =
    [
        ("alpha", [[(215, 85), (185, 150), (150, 195), (110, 205), (80, 185), (70, 145), (85, 105), (120, 90), (155, 110), (185, 160), (215, 210)]]),
        ("beta", [[(95, 250), (95, 60), (140, 45), (175, 70), (165, 115), (115, 135), (175, 150), (190, 195), (150, 225), (95, 215)]]),
        ("gamma", [[(60, 75), (100, 80), (125, 120), (140, 160)], [(205, 65), (150, 170), (120, 250)]]),
    ];

    [TestMethod]
    [TestCategory("slow")]
    public async Task DrawnDigitsAndLetters_PredictedInTheBrowser_EqualTheServersPredictions()
    {
        var (page, problems) = await OpenAsync();
        int predictRequests = 0;
        page.Request += (_, r) => { if (r.Url.Contains("/predict", StringComparison.Ordinal)) Interlocked.Increment(ref predictRequests); };
        int correct = 0;
        foreach (var (model, shapes) in new[] { ("digits", Digits), ("greek", Letters) })
        {
            if (model != "digits") await page.SelectOptionAsync("#model", model);
            await page.WaitForSelectorAsync($"body[data-browser-model={model}]");
            // While a model loads into the browser the server answers (here: the drawing left from the last model).
            await page.WaitForSelectorAsync("#result:not([data-state=busy])");
            Volatile.Write(ref predictRequests, 0);
            foreach (var (expected, strokes) in shapes)
            {
                await page.ClickAsync("#clear");
                await DrawAsync(page, strokes);
                string label = await PredictionAsync(page);
                Assert.AreEqual("browser", await page.Locator("#result").GetAttributeAsync("data-engine"), $"{model} {expected}: who predicted");
                var inBrowser = await ShownProbabilitiesAsync(page);

                // The server, given the same picture (the canvas as the page would send it).
                var onServer = await ServerPredictionAsync(model, await CanvasPngAsync(page));
                Assert.AreEqual(onServer.Label, label, $"{model} {expected}: the browser and the server disagree");
                double diff = inBrowser.Zip(onServer.Probabilities, (a, b) => Math.Abs(a - b.Probability)).Max();
                TestContext.WriteLine($"{model} drawn {expected}: browser {label}, server {onServer.Label}, max probability difference {diff:G3}");
                Assert.IsLessThan(1e-4, diff, $"{model} {expected}: probabilities differ");
                if (label == expected) correct++;
            }
            Assert.AreEqual(0, Volatile.Read(ref predictRequests), $"{model}: predictions made in the browser send nothing to the server");
        }
        await ScreenshotAsync(page, "serve-browser-gamma.png");
        // The drawings are clear enough that the models read (nearly) all of them.
        Assert.IsGreaterThanOrEqualTo(Digits.Length + Letters.Length - 1, correct, $"{correct} of {Digits.Length + Letters.Length} drawings read");
        Assert.IsEmpty(problems, string.Join("; ", problems));
    }

    [TestMethod]
    [TestCategory("slow")]
    public async Task WithoutWebAssembly_TheServerPredicts()
    {
        var (page, problems) = await OpenAsync(withoutWebAssembly: true);
        int predictRequests = 0;
        page.Request += (_, r) => { if (r.Url.Contains("/predict", StringComparison.Ordinal)) Interlocked.Increment(ref predictRequests); };
        await page.WaitForSelectorAsync("body[data-engine=server]");
        await DrawAsync(page, Digits[0].Strokes);
        Assert.AreEqual("7", await PredictionAsync(page));
        Assert.AreEqual("server", await page.Locator("#result").GetAttributeAsync("data-engine"));
        Assert.IsGreaterThan(0, predictRequests);
        Assert.IsEmpty(problems, string.Join("; ", problems));
    }

    private static async Task<double[]> ShownProbabilitiesAsync(IPage page) =>
        System.Text.Json.JsonSerializer.Deserialize<double[]>((await page.Locator("#result").GetAttributeAsync("data-probabilities"))!)!;

    private static async Task<byte[]> CanvasPngAsync(IPage page)
    {
        string url = await page.EvaluateAsync<string>("() => document.getElementById('pad').toDataURL('image/png')");
        return Convert.FromBase64String(url[(url.IndexOf(',') + 1)..]);
    }

    private static async Task<Api.PredictResponse> ServerPredictionAsync(string model, byte[] png)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(png), "image", "canvas.png" } };
        using var response = await server!.Http.PostAsync($"api/models/{model}/predict", form);
        Assert.IsTrue(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<Api.PredictResponse>(response.Content))!;
    }

    private async Task<(IPage Page, List<string> Problems)> OpenAsync(bool withoutWebAssembly = false)
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
        if (withoutWebAssembly) await page.AddInitScriptAsync("delete globalThis.WebAssembly");
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
