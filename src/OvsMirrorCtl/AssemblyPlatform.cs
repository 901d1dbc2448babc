using System.Runtime.Versioning;

// The operator CLI of a CNI plugin for Linux nodes (built only for linux-x64).
[assembly: SupportedOSPlatform("linux")]
