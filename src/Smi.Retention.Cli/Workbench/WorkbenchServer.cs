using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Smi.Retention.Cli.Workbench;

/// <summary>
/// The workbench's web server: Kestrel on the loopback address only, serving the page from the
/// tool itself (no CDN, no file from disk) and a small JSON API. Every request must name this
/// server in its Host header (a page elsewhere cannot reach it by DNS rebinding); every POST must
/// carry the session's token, which only the page served here knows (another site's page cannot
/// read it, and cannot send the header without a CORS preflight this server never answers);
/// request bodies are limited; the page forbids framing and any script not served here.
/// </summary>
internal sealed class WorkbenchServer : IAsyncDisposable
{
    /// <summary>The header that carries the session's token.</summary>
    public const string TokenHeader = "X-Smi-Token";

    /// <summary>The largest request body: a policy file's limit, and room for the JSON around it.</summary>
    public const long MaxRequestBytes = Policies.PolicyLimits.MaxFileBytes * 2 + 4096;

    private readonly WebApplication _app;
    private readonly byte[] _token = RandomNumberGenerator.GetBytes(32);

    private WorkbenchServer(WebApplication app) => _app = app;

    /// <summary>The session's token, as the page carries it.</summary>
    public string Token => Convert.ToBase64String(_token).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The address the page is served at, once started.</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Starts serving <paramref name="workbench"/> on 127.0.0.1 at <paramref name="port"/> (0 for any free port).</summary>
    /// <exception cref="IOException">The port is in use.</exception>
    public static async Task<WorkbenchServer> StartAsync(WorkbenchSession workbench, WorkbenchSaver saver, int port, CancellationToken cancellation)
    {
        // An empty builder: no configuration file or environment variable is read, so nothing in the
        // working folder (an appsettings.json with Kestrel endpoints, say) can add a listener, and
        // no environment can turn on the developer exception page.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { EnvironmentName = "Production", ApplicationName = "smi-retention" });
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.MaxDepth = Json.Options.MaxDepth;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, Json); // requests read by the generated code
        });

        // A body that cannot be read (not JSON, a field of the wrong type) is answered as every other
        // refusal: a JSON error saying what is wrong (Serve), never an empty 400.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        var app = builder.Build();
        var server = new WorkbenchServer(app);
        server.Map(workbench, saver);
        await app.StartAsync(cancellation).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return server;
    }

    /// <summary>Stops serving.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// How requests are read and answers written: by the generated descriptions, as ASP.NET Core
    /// writes JSON by default (System.Text.Json's web defaults, markup and quotes left unescaped),
    /// at most 16 levels deep.
    /// </summary>
    private static readonly WorkbenchJsonContext Json = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = 16,
    });

    private void Map(WorkbenchSession workbench, WorkbenchSaver saver)
    {
        _app.Use(Guard);
        _app.MapGet("/", (HttpContext http) =>
        {
            // The editor writes its styles into <style> elements: allowed by a nonce new with each page, nothing else inline.
            var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
            http.Response.Headers.ContentSecurityPolicy = Policy(nonce);
            return Results.Content(Page("index.html").Replace("{{token}}", Token, StringComparison.Ordinal).Replace("{{nonce}}", nonce, StringComparison.Ordinal), "text/html; charset=utf-8");
        });
        _app.MapGet("/app.js", () => Results.Content(Page("app.js"), "text/javascript; charset=utf-8"));
        _app.MapGet("/app.css", () => Results.Content(Page("app.css"), "text/css; charset=utf-8"));
        _app.MapGet("/editor.js", () => Results.Content(Page("editor.js"), "text/javascript; charset=utf-8"));
        _app.MapGet("/editor.licences.txt", () => Results.Content(Page("editor.licences.txt"), "text/plain; charset=utf-8"));
        _app.MapGet("/api/start", () => OnDisk(() => Results.Json(workbench.Start(), Json.WorkbenchStart)));
        _app.MapGet("/api/file", (string? of) => of is not ("policy" or "tests") ? Results.BadRequest(new WorkbenchError("Ask for ?of=policy or ?of=tests."))
            : workbench.FileOf(of) is { } file ? Results.Json(file, Json.WorkbenchFile)
            : Results.Json(new WorkbenchError("The workbench has no tests file: start it with --tests <file>, or put <policy>.tests.json beside the policy."), Json.WorkbenchError, statusCode: StatusCodes.Status404NotFound));
        _app.MapPost("/api/check", (WorkbenchCheckRequest request, HttpContext http) =>
        {
            if (request.Text is not { } text)
            {
                return Results.BadRequest(new WorkbenchError("Send the policy's text as 'text'."));
            }

            try
            {
                return Results.Json(workbench.Check(text, request.Tests, http.RequestAborted), Json.WorkbenchCheck);
            }
            catch (OperationCanceledException)
            {
                // A later check (a later edit) took over; the page shows that one.
                return Results.Json(new WorkbenchError("A later check superseded this one."), Json.WorkbenchError, statusCode: StatusCodes.Status409Conflict);
            }
        });
        _app.MapPost("/api/explain", (WorkbenchExplainRequest request) =>
            request is { Text: { } text, Device: { } device } ? Results.Json(workbench.Explain(text, device), Json.WorkbenchExplanation) : Results.BadRequest(new WorkbenchError("Send the policy's text as 'text' and the device as 'device'.")));
        _app.MapPost("/api/save", (WorkbenchSaveRequest request) =>
        {
            var outcome = saver.Save(request);
            return outcome.Saved is { } saved ? Results.Json(saved, Json.WorkbenchSaved) : Results.Json(outcome.Error, Json.WorkbenchError, statusCode: outcome.Status);
        });
    }

    /// <summary>An answer that reads a file on disk: one that cannot be read (it became a folder, a pipe, too large) is said, not a bug.</summary>
    private static IResult OnDisk(Func<IResult> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Results.Json(new WorkbenchError(Text.Untrusted.Show(e.Message, 1000)), Json.WorkbenchError, statusCode: StatusCodes.Status409Conflict);
        }
    }

    /// <summary>The page's content security policy: only this server's scripts; styles from here, and the editor's own with the page's nonce.</summary>
    private static string Policy(string? nonce) =>
        $"default-src 'none'; script-src 'self'; style-src 'self'{(nonce is null ? "" : $" 'nonce-{nonce}'")}; style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Refuses a request for another host, a POST without the token, and one from another origin; sets the page's protections.</summary>
    private async Task Guard(HttpContext http, Func<Task> next)
    {
        var response = http.Response;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.ContentSecurityPolicy = Policy(null);

        if (!IsOwnHost(http.Request.Host) || !IsOwnConnection(http.Connection))
        {
            await Refuse(http, StatusCodes.Status421MisdirectedRequest, "This workbench answers only to 127.0.0.1 and localhost on its own port.").ConfigureAwait(false);
            return;
        }

        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        {
            await Serve(http, next).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(http.Request.Method))
        {
            await Refuse(http, StatusCodes.Status405MethodNotAllowed, "Only GET and POST are served.").ConfigureAwait(false);
            return;
        }

        if (http.Request.Headers.Origin is { Count: > 0 } origin && !IsOwnOrigin(origin.ToString()))
        {
            await Refuse(http, StatusCodes.Status403Forbidden, "A request from another site is refused.").ConfigureAwait(false);
            return;
        }

        if (!HasToken(http.Request.Headers[TokenHeader].ToString()))
        {
            await Refuse(http, StatusCodes.Status403Forbidden, $"The session's token is missing or wrong: reload the page (the token changes each time the workbench starts).").ConfigureAwait(false);
            return;
        }

        if (http.Request.ContentLength is > MaxRequestBytes)
        {
            await Refuse(http, StatusCodes.Status413PayloadTooLarge, $"The request is larger than {MaxRequestBytes:N0} bytes.").ConfigureAwait(false);
            return;
        }

        await Serve(http, next).ConfigureAwait(false);
    }

    /// <summary>Runs the endpoint; a request that cannot be read, or a bug, is answered in one line, never with a stack trace.</summary>
    private static async Task Serve(HttpContext http, Func<Task> next)
    {
        try
        {
            await next().ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            await Refuse(http, e.StatusCode, "The request could not be read: " + Text.Untrusted.Show(e.Message, 300)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            // A bug: said in one line, as the tool says it, never with a stack trace.
            await Refuse(http, StatusCodes.Status500InternalServerError, CliMessages.WorkbenchInternalError(e)).ConfigureAwait(false);
        }
    }

    // Whatever the Host header says, the connection itself must be to this listener from this machine.
    private bool IsOwnConnection(ConnectionInfo connection) =>
        connection.LocalIpAddress is { } local && IPAddress.IsLoopback(local) && connection.LocalPort == Address.Port
        && connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote);

    private bool IsOwnHost(HostString host) =>
        host.HasValue && host.Port == Address.Port && host.Host is "127.0.0.1" or "localhost";

    private bool IsOwnOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.Port == Address.Port && uri.Host is "127.0.0.1" or "localhost";

    private bool HasToken(string sent)
    {
        var expected = Encoding.ASCII.GetBytes(Token);
        var given = Encoding.ASCII.GetBytes(sent);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private static async Task Refuse(HttpContext http, int status, string message)
    {
        if (http.Response.HasStarted)
        {
            return;
        }

        http.Response.StatusCode = status;
        await http.Response.WriteAsJsonAsync(new WorkbenchError(message), Json.WorkbenchError).ConfigureAwait(false);
    }

    /// <summary>A file of the page, as embedded in the tool.</summary>
    private static string Page(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Smi.Retention.Cli.Workbench.Page." + name)
            ?? throw new InvalidOperationException($"The workbench page's {name} is not in the tool.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
