using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace MLPipelines.Serving.Api;

/// <summary>
/// Every error is one JSON object, <see cref="ErrorResponse"/>: client mistakes (<see cref="ApiError"/>,
/// Kestrel's own 4xx such as a body over the limit) keep their status, routing's empty 404 and 405 get a
/// body, and only a fault of the server itself is a 500, logged, after which the server goes on serving.
/// </summary>
public static class ErrorHandling
{
    public static void Use(WebApplication app, ServeOptions options, ILogger logger)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (ApiError e) when (!context.Response.HasStarted)
            {
                await WriteAsync(context, e.Status, e.Message);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                await WriteAsync(context, e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? ImageUpload.TooLarge(options.MaxImageBytes, "request body over the limit").Message : e.Message.ReplaceLineEndings(" "));
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away; there is no one to answer.
            }
            catch (Exception e) when (!context.Response.HasStarted)
            {
                logger.LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
                await WriteAsync(context, StatusCodes.Status500InternalServerError, "internal error: " + e.Message.ReplaceLineEndings(" "));
            }
        });
        app.UseStatusCodePages(async status =>
        {
            var context = status.HttpContext;
            int code = context.Response.StatusCode;
            string message = code switch
            {
                StatusCodes.Status404NotFound => $"not found: {context.Request.Method} {context.Request.Path}",
                StatusCodes.Status405MethodNotAllowed => $"method not allowed: {context.Request.Method} {context.Request.Path}",
                _ => ReasonPhrases.GetReasonPhrase(code),
            };
            await WriteAsync(context, code, message);
        });
    }

    public static Task WriteAsync(HttpContext context, int status, string message)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ErrorResponse(message, status));
    }
}
