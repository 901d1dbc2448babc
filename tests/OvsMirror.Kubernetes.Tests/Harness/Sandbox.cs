namespace OvsMirror.Kubernetes.Tests.Harness;

/// <summary>
/// A pod's sandbox as containerd knows it: its ID, the PID of its (pause) process, whose network namespace
/// the captures and pings enter, and the netns path that containerd passed to CNI as <c>CNI_NETNS</c>.
/// </summary>
public sealed record Sandbox(string Id, int Pid, string NetnsPath);
