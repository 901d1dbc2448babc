using System.Runtime.Versioning;

// Like the plugin it tests (src/OvsMirror/AssemblyPlatform.cs): Linux only (CA1416).
[assembly: SupportedOSPlatform("linux")]
