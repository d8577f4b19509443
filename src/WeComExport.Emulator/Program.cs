using Microsoft.AspNetCore.Builder;

// The WeCom API emulator's host. Endpoints arrive with the emulator issue.
WebApplication app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/_emulator/health", () => "ok");
app.Run();
