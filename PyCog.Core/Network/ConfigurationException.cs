namespace PyCog.Network;

/// <summary>A network or training parameter is invalid; <see cref="Parameter"/> names it.</summary>
public sealed class ConfigurationException : ArgumentException
{
    /// <summary>The offending parameter (pycog's name).</summary>
    public string Parameter { get; }

    /// <summary>Creates the exception.</summary>
    public ConfigurationException(string parameter, string message) : base($"{parameter}: {message}")
        => Parameter = parameter;

    /// <summary>The offending parameter, as <see cref="ArgumentException.ParamName"/> reports it.</summary>
    public override string ParamName => Parameter;

    /// <summary>Throws a <see cref="ConfigurationException"/> for <paramref name="parameter"/> unless <paramref name="ok"/>.</summary>
    public static void Require(bool ok, string parameter, string message)
    {
        if (!ok) throw new ConfigurationException(parameter, message);
    }
}
