namespace OvsMirror.Ovsdb;

public enum OvsdbEndpointKind
{
    Unix,
    Tcp,
}
