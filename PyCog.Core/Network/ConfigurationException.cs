namespace PyCog.Network;

/// <summary>A network or training parameter is invalid; <see cref="Parameter"/> names it.</summary>
public sealed class ConfigurationException : ArgumentException
{
    /// <summary>The offending parameter (pycog's name).</summary>
    public string Parameter { get; }

    /// <summary>Creates the exception.</summary>
    public ConfigurationException(string parameter, string message) : base($"{parameter}: {message}", parameter)
        => Parameter = parameter;
}
