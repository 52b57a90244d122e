namespace PyCog.Network;

/// <summary>Hidden-unit activation f in r = f(x) (pycog's <c>hidden_activation</c>).</summary>
public enum HiddenActivation
{
    /// <summary>max(x, 0) (pycog's default).</summary>
    Rectify,
    /// <summary>x^2 for x &gt; 0, else 0.</summary>
    RectifyPower,
    /// <summary>1 / (1 + e^-x).</summary>
    Sigmoid,
    /// <summary>tanh(x).</summary>
    Tanh,
    /// <summary>tanh(max(x, 0)).</summary>
    Rtanh,
    /// <summary>log(1 + e^x).</summary>
    Softplus,
    /// <summary>x.</summary>
    Linear,
}

/// <summary>Output activation, which also fixes the loss (pycog's <c>output_activation</c>).</summary>
public enum OutputActivation
{
    /// <summary>Identity with squared error (default).</summary>
    Linear,
    /// <summary>Logistic with binary cross-entropy.</summary>
    Sigmoid,
    /// <summary>Softmax over outputs with categorical cross-entropy.</summary>
    Softmax,
}

/// <summary>Function that keeps Dale's-law weights non-negative (pycog's <c>ei_positive_func</c>).</summary>
public enum PositiveFunction
{
    /// <summary>max(w, 0) (default).</summary>
    Rectify,
    /// <summary>|w|.</summary>
    Abs,
}

/// <summary>Distribution of the initial weights (pycog's <c>distribution_in/rec/out</c>).</summary>
public enum WeightDistribution
{
    /// <summary>0.1 U(-m, m).</summary>
    Uniform,
    /// <summary>N(0, m).</summary>
    Normal,
    /// <summary>Gamma(k, 0.1 m / k).</summary>
    Gamma,
    /// <summary>Lognormal with mean 0.5 m and variance 0.1.</summary>
    Lognormal,
}

/// <summary>Training and running mode (pycog's <c>mode</c>).</summary>
public enum RunMode
{
    /// <summary>Each trial starts from x0.</summary>
    Batch,
    /// <summary>One trial per gradient step, x0 not trained; simulations carry the state over.</summary>
    Continuous,
}
