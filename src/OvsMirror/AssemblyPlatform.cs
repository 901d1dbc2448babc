using System.Runtime.Versioning;

// A CNI plugin for Linux nodes (and built only for linux-x64): the Unix file-mode APIs the installer uses are fine here (CA1416).
[assembly: SupportedOSPlatform("linux")]
