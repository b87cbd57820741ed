using System.CommandLine;
using SbeCore.Cli;

return Cli.Run(args);
