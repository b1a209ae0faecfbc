namespace DigitCanvas;

/// <summary>
/// Puts <c>X-Content-Type-Options: nosniff</c> and <see cref="DigitCanvasApp.ContentSecurityPolicy"/> on every
/// answer. A startup filter registered first wraps the whole pipeline, host filtering included, so a refused
/// host name gets the headers too.
/// </summary>
internal sealed class SecurityHeadersStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            IHeaderDictionary headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = DigitCanvasApp.ContentSecurityPolicy;
            return nextMiddleware(context);
        });
        next(app);
    };
}
