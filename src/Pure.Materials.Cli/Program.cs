using System.CommandLine;
using Pure.Materials.Cli;

return Cli.Build().Parse(args).Invoke();
