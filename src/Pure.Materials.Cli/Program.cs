using System.Runtime.InteropServices;
using Pure.Materials.Cli;

// The process: Ctrl+C and SIGTERM delete the temporary output files this run created and end the process (exit 130 / 143);
// everything else is Entry.Run, which the tests also call in-process.
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Outputs.Cancel);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Outputs.Cancel);
Terminal.Configure();
return Entry.Run(args);
