#!/usr/bin/python3
"""Reference values for tests/predict: statsmodels' ARIMA and damped Holt on
small series, printed as C++ initialisers. Run with Debian's python3 (which
has statsmodels 0.13.5): /usr/bin/python3 tools/statsmodels_reference.py

ARIMA: statsmodels.tsa.arima.model.ARIMA(y, order, trend='n').fit() is exact
Gaussian ML in state space (diffuse start for the integrated part), the same
estimate as parcae's fit_arima.
Holt: ExponentialSmoothing(y, trend='add', damped_trend=True,
initialization_method='estimated').fit() minimises the SSE of the one-step
errors over alpha, beta <= alpha, phi in [0.8, 0.995], l0 and b0, like
parcae's fit_damped_holt. Its optimiser (brute-force start + L-BFGS-B) may
stop at a different point of a flat SSE surface, so the tests compare the
recursion with statsmodels' parameters exactly and the fitted SSE as an
upper bound.
"""
import warnings

import numpy as np
import statsmodels
from statsmodels.tsa.arima.model import ARIMA
from statsmodels.tsa.holtwinters import ExponentialSmoothing

warnings.simplefilter("ignore")

# Windows of ../shared/traces/p3trace.csv (N per 60 s interval) and hand-made series.
SERIES = {
    "rising": [20, 21, 21, 23, 22, 22, 25, 24, 24, 26, 27, 27],
    "trace_0": [18, 19, 19, 23, 23, 24, 25, 27, 27, 27, 27, 29],
    "trace_50": [32, 26, 26, 23, 22, 21, 21, 18, 18, 15, 15, 21],
    "trace_345": [25, 23, 23, 22, 22, 22, 24, 25, 25, 21, 21, 20],
    "trace_495": [23, 24, 24, 24, 24, 20, 20, 16, 16, 14, 14, 12],
}
LONG = [18, 19, 19, 23, 23, 24, 25, 27, 27, 27, 27, 29, 29, 30, 31, 31, 32, 32, 29, 29,
        28, 28, 26, 27, 27, 25, 23, 23, 22, 22, 22, 24, 25, 25, 21, 21, 20, 22, 24, 24]


def fmt(xs):
    return "{" + ", ".join(f"{x:.10g}" for x in xs) + "}"


def arima(y, order):
    r = ARIMA(np.asarray(y, float), order=order, trend="n").fit()
    return r.params, r.llf, r.forecast(6)


def holt(y):
    m = ExponentialSmoothing(np.asarray(y, float), trend="add", damped_trend=True,
                             initialization_method="estimated")
    r = m.fit()
    p = r.params
    return (p["smoothing_level"], p["smoothing_trend"], p["damping_trend"],
            p["initial_level"], p["initial_trend"], r.sse, r.forecast(6))


def main():
    print(f"// statsmodels {statsmodels.__version__}, numpy {np.__version__}")
    print("// ARIMA(1,1,0): name, series, {phi, sigma2}, loglik, forecast 1..6")
    for name, y in SERIES.items():
        params, llf, fc = arima(y, (1, 1, 0))
        print(f'{{"{name}", {fmt(y)}, {fmt(params)}, {llf:.10g}, {fmt(fc)}}},')
    for order in [(2, 1, 0), (1, 1, 1), (0, 1, 2)]:
        params, llf, fc = arima(LONG, order)
        print(f"// ARIMA{order} on LONG: params {fmt(params)} loglik {llf:.10g} forecast {fmt(fc)}")
    print("// Holt damped: name, {alpha, beta, phi, l0, b0}, sse, forecast 1..6")
    for name, y in SERIES.items():
        a, b, phi, l0, b0, sse, fc = holt(y)
        print(f'{{"{name}", {fmt([a, b, phi, l0, b0])}, {sse:.10g}, {fmt(fc)}}},')


if __name__ == "__main__":
    main()
